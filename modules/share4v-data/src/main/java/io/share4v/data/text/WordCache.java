package io.share4v.data.text;

import java.util.Arrays;

/**
 * Per-thread cache of word -> ids for the BPE encoder. Training text repeats a small vocabulary of words, so
 * most words skip BPE entirely. Keys are code-point arrays compared in place (no String per lookup); the
 * table is simply emptied when full, which keeps memory bounded without LRU bookkeeping.
 */
final class WordCache {
    static final int MAX_WORD = 48; // longer words are rare and would only churn the table
    private static final int SLOTS = 1 << 15;
    private static final int MAX_ENTRIES = SLOTS / 2;

    private final int[][] keys = new int[SLOTS][];
    private final int[][] values = new int[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private int entries;

    int[] get(int[] cps, int from, int to) {
        int h = hash(cps, from, to);
        for (int i = h & (SLOTS - 1); ; i = (i + 1) & (SLOTS - 1)) {
            int[] k = keys[i];
            if (k == null) return null;
            if (hashes[i] == h && Arrays.equals(k, 0, k.length, cps, from, to)) return values[i];
        }
    }

    void put(int[] cps, int from, int to, int[] ids) {
        if (entries >= MAX_ENTRIES) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            entries = 0;
        }
        int h = hash(cps, from, to);
        int i = h & (SLOTS - 1);
        while (keys[i] != null) i = (i + 1) & (SLOTS - 1);
        keys[i] = Arrays.copyOfRange(cps, from, to);
        values[i] = ids;
        hashes[i] = h;
        entries++;
    }

    private static int hash(int[] cps, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) h = (h ^ cps[i]) * 0x01000193;
        return h ^ (h >>> 15);
    }
}
