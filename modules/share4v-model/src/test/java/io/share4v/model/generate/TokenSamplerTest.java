package io.share4v.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** HF's warpers on fixed distributions: which tokens survive, and what the draws look like. */
class TokenSamplerTest {
    private static final double[] PROBS = {0.05, 0.30, 0.10, 0.40, 0.15};

    private static double[] logProbs() {
        double[] s = new double[PROBS.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.log(PROBS[i]) + 3.0; // a shift changes nothing
        }
        return s;
    }

    private static boolean[] kept(double[] scores) {
        boolean[] k = new boolean[scores.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = scores[i] != Double.NEGATIVE_INFINITY;
        }
        return k;
    }

    @Test
    void topPKeepsExactlyTheNucleus() {
        TokenSampler s = new TokenSampler(5);
        // ascending: 0.05 (cum 0.05), 0.10 (0.15), 0.15 (0.30), 0.30 (0.60), 0.40 (1.0); top_p 0.75 drops cum <= 0.25
        double[] scores = logProbs();
        s.warp(scores, 1.0, 0, 0.75);
        assertArrayEquals(new boolean[] {false, true, false, true, true}, kept(scores));
        // top_p 0.6 drops cum <= 0.4: the 0.15 token goes too; 0.4 + 0.3 = 0.7 >= 0.6
        scores = logProbs();
        s.warp(scores, 1.0, 0, 0.6);
        assertArrayEquals(new boolean[] {false, true, false, true, false}, kept(scores));
        // a nucleus smaller than the top token still keeps it (min_tokens_to_keep = 1)
        scores = logProbs();
        s.warp(scores, 1.0, 0, 0.01);
        assertArrayEquals(new boolean[] {false, false, false, true, false}, kept(scores));
        // top_p 1 is off
        scores = logProbs();
        s.warp(scores, 1.0, 0, 1.0);
        assertArrayEquals(new boolean[] {true, true, true, true, true}, kept(scores));
    }

    @Test
    void temperatureDividesBeforeTopP() {
        TokenSampler s = new TokenSampler(5);
        // T = 0.5 squares the probabilities before renormalising: 0.4^2 / sum = 0.16/0.315 = 0.508, 0.3^2 -> 0.286,
        // 0.15^2 -> 0.071, 0.1^2 -> 0.032, 0.05^2 -> 0.008; top_p 0.75 drops cum <= 0.25: everything but the top 2
        double[] scores = logProbs();
        s.warp(scores, 0.5, 0, 0.75);
        assertArrayEquals(new boolean[] {false, true, false, true, false}, kept(scores));
        assertEquals(2 * (Math.log(0.40) + 3.0), scores[3], 1e-12);
    }

    @Test
    void topKKeepsTiesWithTheKthScore() {
        TokenSampler s = new TokenSampler(6);
        double[] scores = {1.0, 3.0, 2.0, 3.0, 2.0, 0.5};
        s.warp(scores, 1.0, 3, 1.0);
        // the 3rd largest is 2.0; every score >= 2.0 stays (HF compares with <)
        assertArrayEquals(new boolean[] {false, true, true, true, true, false}, kept(scores));
        scores = new double[] {1.0, 3.0, 2.0};
        s = new TokenSampler(3);
        s.warp(scores, 1.0, 50, 1.0);
        assertArrayEquals(new boolean[] {true, true, true}, kept(scores), "k above the vocabulary keeps everything");
    }

    @Test
    void drawsFollowTheRenormalisedNucleus() {
        TokenSampler s = new TokenSampler(5);
        SplittableRandom rng = new SplittableRandom(7);
        GenerationConfig cfg = new GenerationConfig(1, 1.0, 0.75, 0, 7, java.util.List.of());
        int[] counts = new int[5];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[s.next(logProbs(), cfg, rng)]++;
        }
        assertEquals(0, counts[0]);
        assertEquals(0, counts[2]);
        double mass = 0.85; // 0.30 + 0.40 + 0.15
        for (int i : new int[] {1, 3, 4}) {
            double f = counts[i] / (double) n;
            assertEquals(PROBS[i] / mass, f, 0.005, "token " + i);
        }
    }

    @Test
    void greedyIsTheFirstArgmax() {
        assertEquals(1, TokenSampler.argmax(new double[] {0.5, 2.0, 2.0, -1}, 4));
        TokenSampler s = new TokenSampler(4);
        assertEquals(2, s.next(new double[] {0.5, 1.0, 2.0, -1}, GenerationConfig.greedy(1), new SplittableRandom(1)));
    }

    @Test
    void sameSeedSameDraws() {
        int[] a = new int[50];
        int[] b = new int[50];
        SplittableRandom r1 = new SplittableRandom(99);
        SplittableRandom r2 = new SplittableRandom(99);
        for (int i = 0; i < 50; i++) {
            a[i] = TokenSampler.draw(logProbs(), r1);
            b[i] = TokenSampler.draw(logProbs(), r2);
        }
        assertArrayEquals(a, b);
        assertTrue(java.util.Arrays.stream(a).distinct().count() > 1);
    }
}
