package io.share4v.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Next-token choice from one row of logits, as HF {@code generate} of transformers 4.31 makes it. Greedy is
 * {@code argmax} (first index on ties, as {@code torch.argmax}). Sampling runs HF's warpers in HF's order on
 * the scores: {@code TemperatureLogitsWarper} (divide, when {@code T != 1}), {@code TopKLogitsWarper} (drop scores
 * below the k-th largest; ties with it stay), {@code TopPLogitsWarper} (sort ascending, cumulative softmax, drop
 * tokens whose cumulative probability is {@code <= 1 - top_p}, always keep the most likely), then draws from the
 * softmax of what is left. Removed tokens get {@code -inf}. Scores are handled in double; HF uses the logits'
 * dtype, which only matters for a token sitting exactly on a boundary. Not thread-safe (scratch reused).
 */
final class TokenSampler {
    private final int vocab;
    private final double[] sorted;
    private final Integer[] order;

    TokenSampler(int vocab) {
        this.vocab = vocab;
        this.sorted = new double[vocab];
        this.order = new Integer[vocab];
    }

    static int argmax(double[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Greedy when {@code cfg.temperature() == 0}, else warp {@code scores} in place and draw with {@code rng}. */
    int next(double[] scores, GenerationConfig cfg, SplittableRandom rng) {
        if (!cfg.sampling()) {
            return argmax(scores, vocab);
        }
        warp(scores, cfg.temperature(), cfg.topK(), cfg.topP());
        return draw(scores, rng);
    }

    /** HF's temperature, top-k and top-p warpers in place (removed tokens become {@code -inf}). */
    void warp(double[] scores, double temperature, int topK, double topP) {
        if (temperature != 1.0) {
            for (int i = 0; i < vocab; i++) {
                scores[i] /= temperature;
            }
        }
        if (topK > 0) {
            int k = Math.min(topK, vocab);
            System.arraycopy(scores, 0, sorted, 0, vocab);
            Arrays.sort(sorted);
            double kth = sorted[vocab - k];
            for (int i = 0; i < vocab; i++) {
                if (scores[i] < kth) {
                    scores[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        if (topP < 1.0) {
            topP(scores, topP);
        }
    }

    private void topP(double[] scores, double topP) {
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        // ascending by score; a stable sort keeps equal scores in index order (torch.sort's tie order is unspecified)
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double max = scores[order[vocab - 1]];
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sorted[i] = Math.exp(scores[order[i]] - max);
            sum += sorted[i];
        }
        double cumulative = 0;
        double threshold = 1 - topP;
        for (int i = 0; i < vocab - 1; i++) { // the last (most likely) token is always kept
            cumulative += sorted[i] / sum;
            if (cumulative <= threshold) {
                scores[order[i]] = Double.NEGATIVE_INFINITY;
            }
        }
    }

    /** A draw from {@code softmax(scores)}: inverse CDF in index order with one uniform double. */
    static int draw(double[] scores, SplittableRandom rng) {
        int n = scores.length;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - max);
        }
        double u = rng.nextDouble() * sum;
        double acc = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            double p = Math.exp(scores[i] - max);
            if (p > 0) {
                acc += p;
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last; // rounding left u just above the total
    }
}
