package io.share4v.model.projector;

import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.Kernels;
import java.util.Arrays;

/**
 * The multimodal projector, forward and backward: {@code linear} is one Linear; {@code mlp{N}x_gelu} is N
 * Linears with PyTorch's exact (erf) GELU between them. Static functions, outputs first.
 *
 * <p>N = feature rows (B*P), I = mm_hidden_size (the vision width), O = the LLM hidden size.
 */
public final class Projector {
    private Projector() {}

    /** Projects {@code x [N, I]}; returns the output {@code [N, O]}, a view into {@code acts}. */
    public static Tensor forward(ProjectorActivations acts, ProjectorParams p, Tensor x, Kernels k) {
        checkInput(x, p);
        ProjectorActivations a = acts.forRows((int) x.size(0));
        Tensor in = x;
        for (int i = 0; i < a.linear.length; i++) {
            k.linearForward(a.linear[i], in, p.weight[i], p.bias[i]); // [N, O]
            if (i < a.gelu.length) {
                k.activationForward(a.gelu[i], a.linear[i], Activation.GELU);
                in = a.gelu[i];
            }
        }
        return a.linear[a.linear.length - 1];
    }

    /**
     * Backward of {@link #forward} on the same {@code x}: accumulates parameter gradients into {@code grads} (whose
     * views are null when the projector is frozen) and overwrites {@code dx [N, I]} (null: the tower below is
     * frozen, so no input gradient is computed). With both frozen nothing is done.
     */
    public static void backward(
            ProjectorParams grads,
            Tensor dx,
            ProjectorActivations acts,
            Tensor dy,
            Tensor x,
            ProjectorParams p,
            Kernels k) {
        if (!grads.any() && dx == null) {
            return;
        }
        checkInput(x, p);
        if (dx != null && !Arrays.equals(dx.shape(), x.shape())) {
            throw new IllegalArgumentException("projector dx has shape " + Arrays.toString(dx.shape())
                    + "; expected the input's " + Arrays.toString(x.shape()));
        }
        ProjectorActivations a = acts.forRows((int) x.size(0));
        if (!Arrays.equals(dy.shape(), a.linear[0].shape())) {
            throw new IllegalArgumentException("projector dy has shape " + Arrays.toString(dy.shape()) + "; expected "
                    + Arrays.toString(a.linear[0].shape()));
        }
        Tensor d = dy; // d linear[i] [N, O]
        for (int i = a.linear.length - 1; i >= 0; i--) {
            Tensor in = i == 0 ? x : a.gelu[i - 1];
            Tensor dIn = i == 0 ? dx : (d == a.dA ? a.dB : a.dA); // ping-pong: never alias d
            if (i == 0 && dx == null) {
                dIn = null;
            }
            k.linearBackward(dIn, grads.weight[i], grads.bias[i], d, in, p.weight[i]);
            if (i > 0) {
                k.activationBackward(dIn, dIn, a.linear[i - 1], Activation.GELU);
                d = dIn;
            }
        }
    }

    private static void checkInput(Tensor x, ProjectorParams p) {
        if (x.rank() != 2 || x.size(1) != p.config.inFeatures()) {
            throw new IllegalArgumentException("projector input has shape " + Arrays.toString(x.shape())
                    + "; expected [N, " + p.config.inFeatures() + "] (mm_hidden_size)");
        }
    }
}
