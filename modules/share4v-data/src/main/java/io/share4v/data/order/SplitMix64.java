package io.share4v.data.order;

/**
 * Seed mixing. Seeds derived as {@code seed + i} or {@code seed * k} give correlated streams (shifted
 * copies of one sequence in {@code SplittableRandom}); passing every derived seed through the splitmix64
 * finaliser decorrelates them.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private SplitMix64() {}

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed for stream {@code stream} of a run seeded with {@code seed}. */
    public static long derive(long seed, long stream) {
        return mix(mix(seed) + GOLDEN_GAMMA * (stream + 1));
    }
}
