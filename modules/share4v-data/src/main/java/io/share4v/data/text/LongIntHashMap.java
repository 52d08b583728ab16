package io.share4v.data.text;

import java.util.Arrays;

/**
 * Open-addressing long -> int map, read-only after construction. The BPE inner loop looks up a merge for every
 * adjacent symbol pair; a boxed {@code HashMap<Long,Integer>} would allocate on each lookup.
 */
final class LongIntHashMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntHashMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
    }

    void put(long key, int value) {
        if (key == EMPTY) throw new IllegalArgumentException("reserved key");
        if ((size + 1) * 2 > keys.length) grow();
        int i = slot(key);
        while (keys[i] != EMPTY && keys[i] != key) i = (i + 1) & mask;
        if (keys[i] == EMPTY) size++;
        keys[i] = key;
        values[i] = value;
    }

    /** Value for {@code key}, or {@code missing}. */
    int get(long key, int missing) {
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) return missing;
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i]);
        }
    }
}
