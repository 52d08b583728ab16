package io.share4v.data.order;

import java.util.SplittableRandom;

/** Seeded random permutations (Fisher-Yates over {@link SplittableRandom} with a splitmix64-mixed seed). */
public final class Permutations {
    private Permutations() {}

    /** A uniformly random permutation of 0..n-1, identical for identical (n, seed). */
    public static int[] random(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(SplitMix64.mix(seed));
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
