package io.share4v.tensor.ops;

import static io.share4v.tensor.ops.Fixtures.copyOf;
import static io.share4v.tensor.ops.Fixtures.rand;
import static io.share4v.tensor.ops.Fixtures.view;

import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.HostKernels;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences in DOUBLE for every backward kernel of both implementations. Each check uses the
 * scalar loss {@code L = sum(output * R)} with a fixed random R, so the analytic gradient is the backward with
 * {@code dout = R}; every input element is perturbed.
 */
class FiniteDifferenceTest {
    private static final DataType D = DataType.DOUBLE;
    private static final double H = 1e-5;
    // relative, with a floor so that gradients that vanish are compared absolutely (to 1e-9)
    private static final GradientCheck.Tolerance TOLERANCE = GradientCheck.Tolerance.relative(1e-6, 1e-3);

    private final Random rng = new Random(7);

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void linear(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray x = rand(rng, D, 5, 7);
        INDArray w = rand(rng, D, 4, 7);
        INDArray b = rand(rng, D, 4);
        INDArray r = rand(rng, D, 5, 4);
        INDArray y = view(D, 5, 4);
        DoubleSupplier loss = () -> {
            k.linearForward(y, x, w, b);
            return dot(y, r);
        };
        INDArray dx = view(D, 5, 7);
        INDArray dw = view(D, 4, 7);
        INDArray db = view(D, 4);
        k.linearBackward(dx, dw, db, r, x, w);
        check("linear dx", loss, x, dx);
        check("linear dw", loss, w, dw);
        check("linear dbias", loss, b, db);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void activations(String kernels) {
        Kernels k = Kernels.create(kernels);
        for (Activation f : Activation.values()) {
            INDArray x = rand(rng, D, 3, 17).muli(4);
            INDArray r = rand(rng, D, 3, 17);
            INDArray y = view(D, 3, 17);
            DoubleSupplier loss = () -> {
                k.activationForward(y, x, f);
                return dot(y, r);
            };
            INDArray dx = view(D, 3, 17);
            k.activationBackward(dx, r, x, f);
            check(f + " dx", loss, x, dx);
        }
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void swiglu(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray g = rand(rng, D, 4, 9).muli(3);
        INDArray u = rand(rng, D, 4, 9);
        INDArray r = rand(rng, D, 4, 9);
        INDArray h = view(D, 4, 9);
        DoubleSupplier loss = () -> {
            k.swigluForward(h, g, u);
            return dot(h, r);
        };
        INDArray dg = view(D, 4, 9);
        INDArray du = view(D, 4, 9);
        k.swigluBackward(dg, du, r, g, u);
        check("swiglu dgate", loss, g, dg);
        check("swiglu dup", loss, u, du);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void layerNorm(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray x = rand(rng, D, 4, 11);
        INDArray gamma = rand(rng, D, 11);
        INDArray beta = rand(rng, D, 11);
        INDArray r = rand(rng, D, 4, 11);
        INDArray y = view(D, 4, 11);
        INDArray mean = view(D, 4);
        INDArray rstd = view(D, 4);
        DoubleSupplier loss = () -> {
            k.layerNormForward(y, mean, rstd, x, gamma, beta, 1e-5f);
            return dot(y, r);
        };
        loss.getAsDouble();
        INDArray dx = view(D, 4, 11);
        INDArray dg = view(D, 11);
        INDArray db = view(D, 11);
        k.layerNormBackward(dx, dg, db, r, x, copyOf(mean), copyOf(rstd), gamma);
        check("layernorm dx", loss, x, dx);
        check("layernorm dgamma", loss, gamma, dg);
        check("layernorm dbeta", loss, beta, db);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void rmsNorm(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray x = rand(rng, D, 4, 11);
        INDArray gamma = rand(rng, D, 11);
        INDArray r = rand(rng, D, 4, 11);
        INDArray y = view(D, 4, 11);
        INDArray rstd = view(D, 4);
        DoubleSupplier loss = () -> {
            k.rmsNormForward(y, rstd, x, gamma, 1e-6f);
            return dot(y, r);
        };
        loss.getAsDouble();
        INDArray dx = view(D, 4, 11);
        INDArray dg = view(D, 11);
        k.rmsNormBackward(dx, dg, r, x, copyOf(rstd), gamma);
        check("rmsnorm dx", loss, x, dx);
        check("rmsnorm dgamma", loss, gamma, dg);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void rope(String kernels) {
        Kernels k = Kernels.create(kernels);
        int b = 2;
        int t = 3;
        int h = 2;
        int d = 4;
        INDArray cos = rand(rng, D, t, d);
        INDArray sin = rand(rng, D, t, d);
        INDArray x = rand(rng, D, (long) b * t, (long) h * d);
        INDArray r = rand(rng, D, (long) b * t, (long) h * d);
        INDArray y = view(D, (long) b * t, (long) h * d);
        DoubleSupplier loss = () -> {
            k.copy(y, x);
            k.rope(y, cos, sin, b, t, h, d, false);
            return dot(y, r);
        };
        INDArray dx = copyOf(r);
        k.rope(dx, cos, sin, b, t, h, d, true);
        check("rope dx", loss, x, dx);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void attention(String kernels) {
        Kernels k = Kernels.create(kernels);
        // GQA (4 heads on 2 kv heads), causal, right padding including an all-padding sample
        attentionCase(k, new AttentionShape(3, 5, 4, 2, 3, true, 0.6f, AttentionMask.validLength(5, 3, 0)));
        attentionCase(k, new AttentionShape(2, 4, 2, 1, 3, false, 0.8f, AttentionMask.validLength(2, 4)));
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void attentionWithKeyMask(String kernels) {
        Kernels k = Kernels.create(kernels);
        // masked keys in the middle, combined with right padding; sample 1's key 0 is masked, so its causal
        // query 0 sees no key at all (uniform, no q/k gradient)
        boolean[] keyValid = {
            true, false, true, true, false, true,
            false, true, false, true, true, true
        };
        attentionCase(
                k,
                new AttentionShape(
                        2,
                        6,
                        4,
                        2,
                        3,
                        true,
                        0.6f,
                        AttentionMask.validLength(6, 5).andKeyValid(keyValid)));
        attentionCase(k, new AttentionShape(2, 6, 2, 1, 3, false, 0.8f, AttentionMask.keyValid(keyValid)));
    }

    private void attentionCase(Kernels k, AttentionShape s) {
        long rows = (long) s.batch() * s.seq();
        INDArray q = rand(rng, D, rows, (long) s.heads() * s.headDim());
        INDArray kk = rand(rng, D, rows, (long) s.kvHeads() * s.headDim());
        INDArray v = rand(rng, D, rows, (long) s.kvHeads() * s.headDim());
        INDArray r = rand(rng, D, rows, (long) s.heads() * s.headDim());
        INDArray out = view(D, rows, (long) s.heads() * s.headDim());
        INDArray probs = view(D, s.batch(), s.heads(), s.seq(), s.seq());
        DoubleSupplier loss = () -> {
            k.attentionForward(out, probs, q, kk, v, s);
            return dot(out, r);
        };
        loss.getAsDouble();
        INDArray dq = view(D, q.shape());
        INDArray dk = view(D, kk.shape());
        INDArray dv = view(D, v.shape());
        k.attentionBackward(dq, dk, dv, r, copyOf(probs), q, kk, v, s);
        check("attention dq " + s.causal(), loss, q, dq);
        check("attention dk " + s.causal(), loss, kk, dk);
        check("attention dv " + s.causal(), loss, v, dv);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void embedding(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray table = rand(rng, D, 6, 5);
        int[] ids = {2, 5, -1, 2, 0};
        INDArray r = rand(rng, D, 5, 5);
        INDArray out = view(D, 5, 5);
        DoubleSupplier loss = () -> {
            k.embeddingForward(out, table, ids);
            return dot(out, r);
        };
        INDArray dt = view(D, 6, 5);
        k.embeddingBackward(dt, r, ids);
        check("embedding dtable", loss, table, dt);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void crossEntropy(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray logits = rand(rng, D, 5, 13).muli(3);
        int[] targets = {3, -100, 12, 0, 7};
        float scale = 0.25f;
        DoubleSupplier loss = () -> k.crossEntropy(null, logits, targets, -100, scale) * scale;
        INDArray d = view(D, 5, 13);
        k.crossEntropy(d, logits, targets, -100, scale);
        check("cross-entropy dlogits", loss, logits, d);
    }

    /** Perturbs every element of {@code x} and compares the central difference with {@code analytic}. */
    private static void check(String what, DoubleSupplier loss, INDArray x, INDArray analytic) {
        GradientCheck check = new GradientCheck(loss, H, TOLERANCE, 0);
        check.every(what, x, analytic);
        check.assertPassed();
    }

    private static double dot(INDArray a, INDArray b) {
        double s = 0;
        for (long i = 0; i < a.length(); i++) {
            s += a.getDouble(i) * b.getDouble(i);
        }
        return s;
    }
}
