package io.share4v.model.llava;

import io.share4v.data.Tokens;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Kernels;

/**
 * Next-token cross-entropy of {@code LlamaForCausalLM}: logits at position t against the label at t+1
 * (the shift lives in {@link SplicePlan#targets}), {@value Tokens#IGNORE_INDEX} ignored. The reference averages
 * over the micro-batch's supervised tokens; {@link #gradScale} also takes an external normaliser (e.g. the
 * supervised tokens of the whole global batch, for a global-token-mean loss).
 *
 * <p>N = B*T rows, V = vocab.
 */
public final class CausalLmLoss {
    private CausalLmLoss() {}

    /**
     * The loss of one forward: {@code mean = sum / tokens} (NaN when no token is supervised, as PyTorch's mean
     * over an empty set), the raw {@code sum} and the supervised-token count.
     */
    public record Result(double mean, double sum, long tokens) {
        public static Result of(double sum, long tokens) {
            return new Result(tokens == 0 ? Double.NaN : sum / tokens, sum, tokens);
        }
    }

    /** Loss over {@code logits[N, V]} (unchanged). */
    public static Result forward(Kernels k, Tensor logits, SplicePlan plan) {
        if (plan.supervisedTokens == 0) {
            return Result.of(0.0, 0);
        }
        double sum = k.crossEntropy(null, logits, plan.targets, Tokens.IGNORE_INDEX, 1f);
        return Result.of(sum, plan.supervisedTokens);
    }

    /**
     * The loss and, in the same pass, {@code d(loss)/d(logits)} written over {@code logits} (as {@link #backward}
     * computes it): one softmax per row instead of two when a backward follows anyway.
     */
    public static Result forwardBackward(Kernels k, Tensor logits, SplicePlan plan, double scale, double normaliser) {
        double g = gradScale(scale, normaliser);
        float gf = (float) g;
        double sum = k.crossEntropy(logits, logits, plan.targets, Tokens.IGNORE_INDEX, gf);
        correctDoubleScale(k, logits, g, gf);
        return Result.of(sum, plan.supervisedTokens);
    }

    /**
     * {@code d(loss)/d(logits)} with {@code d(loss) = scale}, written over {@code logits} in place:
     * {@code (softmax - onehot) * scale / normaliser} on supervised rows, 0 elsewhere.
     */
    public static void backward(Kernels k, Tensor logits, SplicePlan plan, double scale, double normaliser) {
        double g = gradScale(scale, normaliser);
        float gf = (float) g;
        k.crossEntropy(logits, logits, plan.targets, Tokens.IGNORE_INDEX, gf);
        correctDoubleScale(k, logits, g, gf);
    }

    private static double gradScale(double scale, double normaliser) {
        if (!(normaliser > 0)) {
            throw new IllegalArgumentException("loss normaliser = " + normaliser + " is invalid: expected > 0");
        }
        return scale / normaliser;
    }

    private static void correctDoubleScale(Kernels k, Tensor dlogits, double g, float gf) {
        if (dlogits.dtype() == DType.DOUBLE && gf != g) {
            // The kernel's scale is a float; in DOUBLE (finite differences, fp64 parity) correct the rounding.
            k.scale(dlogits, dlogits, g / gf);
        }
    }
}
