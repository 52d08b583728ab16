package io.share4v.tensor.ops;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.KernelFixtures;
import io.share4v.tensor.testing.Tensors;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences in DOUBLE for every backward kernel of both implementations. Each check uses the
 * scalar loss {@code L = sum(output * R)} with a fixed random R, so the analytic gradient is the backward with
 * {@code dout = R}; every input element is perturbed.
 */
class FiniteDifferenceTest {
    private static final DType D = DType.DOUBLE;
    private static final double H = 1e-5;
    // relative, with a floor so that gradients that vanish are compared absolutely (to 1e-9)
    private static final GradientCheck.Tolerance TOLERANCE = GradientCheck.Tolerance.relative(1e-6, 1e-3);

    private final Random rng = new Random(7);

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void linear(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor x = f.rand(D, 5, 7);
        Tensor w = f.rand(D, 4, 7);
        Tensor b = f.rand(D, 4);
        Tensor r = f.rand(D, 5, 4);
        Tensor y = f.zeros(D, 5, 4);
        DoubleSupplier loss = () -> {
            k.linearForward(y, x, w, b);
            return dot(y, r);
        };
        Tensor dx = f.zeros(D, 5, 7);
        Tensor dw = f.zeros(D, 4, 7);
        Tensor db = f.zeros(D, 4);
        k.linearBackward(dx, dw, db, r, x, w);
        check("linear dx", loss, x, dx);
        check("linear dw", loss, w, dw);
        check("linear dbias", loss, b, db);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void activations(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        for (Activation act : Activation.values()) {
            Tensor x = f.uniform(4, D, 3, 17);
            Tensor r = f.rand(D, 3, 17);
            Tensor y = f.zeros(D, 3, 17);
            DoubleSupplier loss = () -> {
                k.activationForward(y, x, act);
                return dot(y, r);
            };
            Tensor dx = f.zeros(D, 3, 17);
            k.activationBackward(dx, r, x, act);
            check(act + " dx", loss, x, dx);
        }
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void swiglu(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor g = f.uniform(3, D, 4, 9);
        Tensor u = f.rand(D, 4, 9);
        Tensor r = f.rand(D, 4, 9);
        Tensor h = f.zeros(D, 4, 9);
        DoubleSupplier loss = () -> {
            k.swigluForward(h, g, u);
            return dot(h, r);
        };
        Tensor dg = f.zeros(D, 4, 9);
        Tensor du = f.zeros(D, 4, 9);
        k.swigluBackward(dg, du, r, g, u);
        check("swiglu dgate", loss, g, dg);
        check("swiglu dup", loss, u, du);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void layerNorm(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor x = f.rand(D, 4, 11);
        Tensor gamma = f.rand(D, 11);
        Tensor beta = f.rand(D, 11);
        Tensor r = f.rand(D, 4, 11);
        Tensor y = f.zeros(D, 4, 11);
        Tensor mean = f.zeros(D, 4);
        Tensor rstd = f.zeros(D, 4);
        DoubleSupplier loss = () -> {
            k.layerNormForward(y, mean, rstd, x, gamma, beta, 1e-5f);
            return dot(y, r);
        };
        loss.getAsDouble();
        Tensor dx = f.zeros(D, 4, 11);
        Tensor dg = f.zeros(D, 11);
        Tensor db = f.zeros(D, 11);
        k.layerNormBackward(dx, dg, db, r, x, f.copyOf(mean), f.copyOf(rstd), gamma);
        check("layernorm dx", loss, x, dx);
        check("layernorm dgamma", loss, gamma, dg);
        check("layernorm dbeta", loss, beta, db);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void rmsNorm(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor x = f.rand(D, 4, 11);
        Tensor gamma = f.rand(D, 11);
        Tensor r = f.rand(D, 4, 11);
        Tensor y = f.zeros(D, 4, 11);
        Tensor rstd = f.zeros(D, 4);
        DoubleSupplier loss = () -> {
            k.rmsNormForward(y, rstd, x, gamma, 1e-6f);
            return dot(y, r);
        };
        loss.getAsDouble();
        Tensor dx = f.zeros(D, 4, 11);
        Tensor dg = f.zeros(D, 11);
        k.rmsNormBackward(dx, dg, r, x, f.copyOf(rstd), gamma);
        check("rmsnorm dx", loss, x, dx);
        check("rmsnorm dgamma", loss, gamma, dg);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void rope(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        int b = 2;
        int t = 3;
        int h = 2;
        int d = 4;
        Tensor cos = f.rand(D, t, d);
        Tensor sin = f.rand(D, t, d);
        Tensor x = f.rand(D, (long) b * t, (long) h * d);
        Tensor r = f.rand(D, (long) b * t, (long) h * d);
        Tensor y = f.zeros(D, (long) b * t, (long) h * d);
        DoubleSupplier loss = () -> {
            k.copy(y, x);
            k.rope(y, cos, sin, b, t, h, d, false);
            return dot(y, r);
        };
        Tensor dx = f.copyOf(r);
        k.rope(dx, cos, sin, b, t, h, d, true);
        check("rope dx", loss, x, dx);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void attention(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        // GQA (4 heads on 2 kv heads), causal, right padding including an all-padding sample
        attentionCase(k, f, new AttentionShape(3, 5, 4, 2, 3, true, 0.6f, AttentionMask.validLength(5, 3, 0)));
        attentionCase(k, f, new AttentionShape(2, 4, 2, 1, 3, false, 0.8f, AttentionMask.validLength(2, 4)));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void attentionWithKeyMask(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        // masked keys in the middle, combined with right padding; sample 1's key 0 is masked, so its causal
        // query 0 sees no key at all (uniform, no q/k gradient)
        boolean[] keyValid = {
            true, false, true, true, false, true,
            false, true, false, true, true, true
        };
        attentionCase(
                k,
                f,
                new AttentionShape(
                        2,
                        6,
                        4,
                        2,
                        3,
                        true,
                        0.6f,
                        AttentionMask.validLength(6, 5).andKeyValid(keyValid)));
        attentionCase(k, f, new AttentionShape(2, 6, 2, 1, 3, false, 0.8f, AttentionMask.keyValid(keyValid)));
    }

    private void attentionCase(Kernels k, KernelFixtures f, AttentionShape s) {
        long rows = (long) s.batch() * s.seq();
        Tensor q = f.rand(D, rows, (long) s.heads() * s.headDim());
        Tensor kk = f.rand(D, rows, (long) s.kvHeads() * s.headDim());
        Tensor v = f.rand(D, rows, (long) s.kvHeads() * s.headDim());
        Tensor r = f.rand(D, rows, (long) s.heads() * s.headDim());
        Tensor out = f.zeros(D, rows, (long) s.heads() * s.headDim());
        Tensor probs = f.zeros(D, s.batch(), s.heads(), s.seq(), s.seq());
        DoubleSupplier loss = () -> {
            k.attentionForward(out, probs, q, kk, v, s);
            return dot(out, r);
        };
        loss.getAsDouble();
        Tensor dq = f.zeros(D, q.shape());
        Tensor dk = f.zeros(D, kk.shape());
        Tensor dv = f.zeros(D, v.shape());
        k.attentionBackward(dq, dk, dv, r, f.copyOf(probs), q, kk, v, s);
        check("attention dq " + s.causal(), loss, q, dq);
        check("attention dk " + s.causal(), loss, kk, dk);
        check("attention dv " + s.causal(), loss, v, dv);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void embedding(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor table = f.rand(D, 6, 5);
        int[] ids = {2, 5, -1, 2, 0};
        Tensor r = f.rand(D, 5, 5);
        Tensor out = f.zeros(D, 5, 5);
        DoubleSupplier loss = () -> {
            k.embeddingForward(out, table, ids);
            return dot(out, r);
        };
        Tensor dt = f.zeros(D, 6, 5);
        k.embeddingBackward(dt, r, ids);
        check("embedding dtable", loss, table, dt);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void crossEntropy(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor logits = f.uniform(3, D, 5, 13);
        int[] targets = {3, -100, 12, 0, 7};
        float scale = 0.25f;
        DoubleSupplier loss = () -> k.crossEntropy(null, logits, targets, -100, scale) * scale;
        Tensor d = f.zeros(D, 5, 13);
        k.crossEntropy(d, logits, targets, -100, scale);
        check("cross-entropy dlogits", loss, logits, d);
    }

    /** Perturbs every element of {@code x} and compares the central difference with {@code analytic}. */
    private static void check(String what, DoubleSupplier loss, Tensor x, Tensor analytic) {
        GradientCheck check = new GradientCheck(loss, H, TOLERANCE, 0);
        check.every(what, x, analytic);
        check.assertPassed();
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (long i = 0; i < a.length(); i++) {
            s += Tensors.get(a, i) * Tensors.get(b, i);
        }
        return s;
    }
}
