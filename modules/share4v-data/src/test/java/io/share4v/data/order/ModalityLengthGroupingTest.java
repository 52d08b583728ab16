package io.share4v.data.order;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModalityLengthGroupingTest {
    /** Random signed lengths: about 70% image (positive), word counts 1..300. */
    private static int[] lengths(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            int words = 1 + r.nextInt(300);
            l[i] = r.nextInt(10) < 7 ? words : -words;
        }
        return l;
    }

    @ParameterizedTest
    @CsvSource({"1000,4,8", "1000,16,8", "128,16,8", "5,4,2", "2049,3,5", "777,1,1"})
    void everyIndexOnceAndBatchesSingleModalityAndSorted(int n, int world, int batch) {
        int[] len = lengths(n, n * 31L + world);
        int[] order = ModalityLengthGrouping.order(len, world, batch, 42);
        assertEquals(n, order.length);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i], "every index exactly once");
        }
        int mega = world * batch;
        int mm = (int) Arrays.stream(len).filter(x -> x > 0).count();
        int lang = n - mm;
        // The last megabatch of each modality (full or not) becomes the merged tail, as in the reference.
        int tail = (mm == 0 || lang == 0) ? 0 : lastSize(mm, mega) + lastSize(lang, mega);
        int body = n - tail;
        for (int start = 0; start < body; start += mega) {
            int end = Math.min(body, start + mega);
            boolean image = len[order[start]] > 0;
            for (int i = start; i < end; i++) {
                assertEquals(image, len[order[i]] > 0, "megabatch at " + start + " mixes modalities");
            }
            int size = end - start;
            if (size % world == 0) {
                // Greedy split: each per-device batch (chunk) is in descending length order.
                int per = size / world;
                for (int c = start; c < end; c += per) {
                    for (int i = c + 1; i < c + per; i++) {
                        assertTrue(Math.abs(len[order[i - 1]]) >= Math.abs(len[order[i]]), "chunk sorted desc");
                    }
                }
            }
        }
        for (int i = body + 1; i < n; i++) {
            assertTrue(order[i - 1] < order[i], "merged tail is sorted by index");
        }
    }

    private static int lastSize(int count, int mega) {
        return count % mega == 0 ? mega : count % mega;
    }

    @Test
    void greedySplitBalancesTotals() {
        // 8 items sorted desc into 2 chunks: greedy by smallest running total.
        Integer[] idx = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] len = {100, 90, 50, 40, 30, 20, 10, 5};
        int[][] chunks = ModalityLengthGrouping.splitToEvenChunks(idx, len, 2);
        assertArrayEquals(new int[] {0, 3, 4, 7}, chunks[0]);
        assertArrayEquals(new int[] {1, 2, 5, 6}, chunks[1]);
        // Not divisible: strided split.
        int[][] strided = ModalityLengthGrouping.splitToEvenChunks(new Integer[] {0, 1, 2, 3, 4}, len, 2);
        assertArrayEquals(new int[] {0, 2, 4}, strided[0]);
        assertArrayEquals(new int[] {1, 3}, strided[1]);
    }

    @Test
    void deterministicPerSeed() {
        int[] len = lengths(5000, 1);
        assertArrayEquals(ModalityLengthGrouping.order(len, 16, 8, 7), ModalityLengthGrouping.order(len, 16, 8, 7));
        assertFalse(Arrays.equals(
                ModalityLengthGrouping.order(len, 16, 8, 7), ModalityLengthGrouping.order(len, 16, 8, 8)));
    }

    @Test
    void singleModalityIsPlainLengthGrouping() {
        int[] len = Arrays.stream(lengths(300, 3)).map(Math::abs).toArray();
        int[] order = ModalityLengthGrouping.order(len, 4, 8, 1);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertEquals(299, sorted[299]);
    }

    @Test
    void zeroLengthIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ModalityLengthGrouping.order(new int[] {3, 0, -2}, 1, 1, 0));
        assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
    }

    @Test
    void permutationIsUniformEnough() {
        // Position of element 0 over many seeds: every slot of 4 hit roughly equally (no seed-correlation bug).
        int[] hits = new int[4];
        for (int s = 0; s < 4000; s++) {
            int[] p = Permutations.random(4, s);
            for (int i = 0; i < 4; i++) {
                if (p[i] == 0) {
                    hits[i]++;
                }
            }
        }
        for (int h : hits) {
            assertTrue(h > 850 && h < 1150, Arrays.toString(hits));
        }
    }
}
