package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WordCacheTest {
    @Test
    void returnsWhatWasStoredAndForgetsEverythingWhenFull() {
        WordCache cache = new WordCache();
        int[] text = new int[64];
        int stored = 40_000; // more than the table holds: it is emptied on the way
        for (int n = 0; n < stored; n++) {
            int len = fill(text, n);
            if (cache.get(text, 1, 1 + len) == null) cache.put(text, 1, 1 + len, new int[] {n, len});
        }
        int hits = 0;
        for (int n = 0; n < stored; n++) {
            int len = fill(text, n);
            int[] v = cache.get(text, 1, 1 + len);
            if (v != null) {
                assertArrayEquals(new int[] {n, len}, v);
                hits++;
            }
        }
        assertNotNull(cache.get(text, 1, 1 + fill(text, stored - 1)));
        assertNull(cache.get(text, 1, 1 + fill(text, stored + 5)));
        org.junit.jupiter.api.Assertions.assertTrue(hits > 0 && hits < stored, "hits " + hits);
    }

    /** A distinct code-point word for every n, at offset 1 of the buffer, of varying length. */
    private static int fill(int[] buf, int n) {
        int len = 1 + n % 7;
        for (int i = 0; i < len; i++) buf[1 + i] = 0x4E00 + (n * 31 + i * 7919) % 20000;
        buf[1] = n; // makes every n distinct
        buf[0] = -1;
        buf[1 + len] = -1;
        return len;
    }
}
