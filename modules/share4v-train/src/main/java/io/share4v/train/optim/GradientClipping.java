package io.share4v.train.optim;

import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Clipping by global norm ({@code torch.nn.utils.clip_grad_norm_}) on a sharded gradient: each rank sums the squares
 * of its own shard (which holds the summed gradient after a reduce-scatter), the ranks add those sums, and each
 * rank scales its shard by the same coefficient. Runs on host memory, in windows small enough for one Java buffer.
 */
public final class GradientClipping {
    /** Elements per window (a 7B shard exceeds the 2^31 bytes one Java buffer can index). */
    private static final int WINDOW = 1 << 20;

    private GradientClipping() {}

    /** The sum of squares of {@code grads} over {@code shard}, accumulated in double. */
    public static double sumOfSquares(Tensor grads, List<Range> shard) {
        double sum = 0;
        for (Range r : shard) {
            for (long s = r.start(); s < r.end(); s += WINDOW) {
                FloatBuffer w = grads.slice(s, Math.min(WINDOW, r.end() - s)).floats();
                for (int i = 0; i < w.limit(); i++) {
                    double g = w.get(i);
                    sum += g * g;
                }
            }
        }
        return sum;
    }

    /**
     * torch's factor for gradients of global norm {@code norm} clipped to {@code maxNorm}: {@code maxNorm / (norm +
     * 1e-6)}, or 1 when that is not below 1 (the gradient is already short enough).
     */
    public static double coefficient(double norm, double maxNorm) {
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /** Multiplies {@code grads} over {@code shard} by {@code factor} (rounded to float as torch's {@code mul_}). */
    public static void scale(Tensor grads, List<Range> shard, double factor) {
        float f = (float) factor;
        for (Range r : shard) {
            for (long s = r.start(); s < r.end(); s += WINDOW) {
                FloatBuffer w = grads.slice(s, Math.min(WINDOW, r.end() - s)).floats();
                for (int i = 0; i < w.limit(); i++) {
                    w.put(i, w.get(i) * f);
                }
            }
        }
    }
}
