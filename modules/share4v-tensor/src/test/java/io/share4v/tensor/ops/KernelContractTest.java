package io.share4v.tensor.ops;

import static io.share4v.tensor.testing.KernelFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.DeviceStorage;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.KernelFixtures;
import io.share4v.tensor.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kernels contract beyond the math: parameter gradients accumulate, input gradients are overwritten,
 * null gradients skip their work, documented aliases work, and bad arguments are errors naming them.
 */
class KernelContractTest {
    private static final DType F = DType.FLOAT;
    private static final double TOL = 1e-5;

    private final Random rng = new Random(3);

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void patchifyBackwardIsPatchifysInversePermutationAndOverwrites(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        DType d = DType.DOUBLE;
        Tensor images = f.rand(d, 2, 3, 4, 6); // 2 x 3 patches of 2 x 2 per image
        Tensor patches = f.zeros(d, 2 * 2 * 3, 3 * 2 * 2);
        k.patchify(patches, images, 2);
        Tensor back = f.filled(images, 123); // overwritten, not accumulated
        k.patchifyBackward(back, patches, 2);
        assertClose("patchifyBackward(patchify(x)) = x", images, back, 0);
        // the adjoint: <patchify(x), y> = <x, patchifyBackward(y)>, what the backward of a permutation must be
        Tensor y = f.rand(d, 2 * 2 * 3, 3 * 2 * 2);
        Tensor dx = f.zeros(d, 2, 3, 4, 6);
        k.patchifyBackward(dx, y, 2);
        assertClose("adjoint", dot(patches, y), dot(images, dx), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> k.patchifyBackward(f.zeros(d, 2, 3, 4, 6), y, 3));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void scaleTakesTheFactorInTheTensorsType(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        double s = 1.0 / Math.sqrt(8); // not a float: the DOUBLE checks need it exact
        Tensor xd = f.rand(DType.DOUBLE, 3, 4);
        Tensor outd = f.zeros(DType.DOUBLE, 3, 4);
        k.scale(outd, xd, s);
        double[] x = Tensors.doubles(xd);
        double[] out = Tensors.doubles(outd);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * s, out[i], 0.0, "DOUBLE element " + i);
        }
        Tensor xf0 = f.rand(F, 3, 4);
        Tensor xf1 = f.copyOf(xf0);
        k.scale(xf1, xf1, s); // in place: out aliases x
        double[] a = Tensors.doubles(xf0);
        double[] b = Tensors.doubles(xf1);
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) a[i] * (float) s, (float) b[i], 0.0f, "FLOAT element " + i);
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double[] x = Tensors.doubles(a);
        double[] y = Tensors.doubles(b);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void linearBackwardAccumulatesParamsOverwritesInputsAndSkipsNulls(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor x = f.rand(F, 6, 5);
        Tensor w = f.rand(F, 4, 5);
        Tensor dy = f.rand(F, 6, 4);
        Tensor dx = f.zeros(F, 6, 5);
        Tensor dw = f.zeros(F, 4, 5);
        Tensor db = f.zeros(F, 4);
        k.linearBackward(dx, dw, db, dy, x, w);
        Tensor dxGarbage = f.filled(dx, 123);
        Tensor dw2 = f.filled(dw, 1);
        Tensor db2 = f.filled(db, 1);
        k.linearBackward(dxGarbage, dw2, db2, dy, x, w);
        assertClose("dx overwritten", dx, dxGarbage, TOL);
        assertClose("dw accumulated", f.plus(dw, 1), dw2, TOL);
        assertClose("dbias accumulated", f.plus(db, 1), db2, TOL);
        // frozen layer below (dx null) and frozen weights (dw, dbias null)
        Tensor dw3 = f.zeros(F, 4, 5);
        k.linearBackward(null, dw3, null, dy, x, w);
        assertClose("dw without dx", dw, dw3, TOL);
        Tensor dx3 = f.zeros(F, 6, 5);
        k.linearBackward(dx3, null, null, dy, x, w);
        assertClose("dx without dw", dx, dx3, TOL);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void normBackwardsAccumulateGammaBetaAndOverwriteDx(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor x = f.rand(F, 3, 8);
        Tensor gamma = f.rand(F, 8);
        Tensor beta = f.rand(F, 8);
        Tensor dy = f.rand(F, 3, 8);
        Tensor y = f.zeros(F, 3, 8);
        Tensor mean = f.zeros(F, 3);
        Tensor rstd = f.zeros(F, 3);
        k.layerNormForward(y, mean, rstd, x, gamma, beta, 1e-5f);
        Tensor dx = f.zeros(F, 3, 8);
        Tensor dg = f.zeros(F, 8);
        Tensor db = f.zeros(F, 8);
        k.layerNormBackward(dx, dg, db, dy, x, mean, rstd, gamma);
        Tensor dx2 = f.filled(dx, -7);
        Tensor dg2 = f.filled(dg, 2);
        Tensor db2 = f.filled(db, 2);
        k.layerNormBackward(dx2, dg2, db2, dy, x, mean, rstd, gamma);
        assertClose("ln dx overwritten", dx, dx2, TOL);
        assertClose("ln dgamma accumulated", f.plus(dg, 2), dg2, TOL);
        assertClose("ln dbeta accumulated", f.plus(db, 2), db2, TOL);
        Tensor dx3 = f.zeros(F, 3, 8);
        k.layerNormBackward(dx3, null, null, dy, x, mean, rstd, gamma);
        assertClose("ln dx alone", dx, dx3, TOL);

        k.rmsNormForward(y, rstd, x, gamma, 1e-6f);
        k.rmsNormBackward(dx, dg, dy, x, rstd, gamma);
        Tensor dg4 = f.filled(dg, 0);
        Tensor dx4 = f.filled(dx, 5);
        k.rmsNormBackward(dx4, dg4, dy, x, rstd, gamma);
        Tensor dg5 = f.filled(dg, 3);
        k.rmsNormBackward(null, dg5, dy, x, rstd, gamma);
        assertClose("rms dx overwritten", dx, dx4, TOL);
        assertClose("rms dgamma accumulated", f.plus(dg4, 3), dg5, TOL);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void attentionBackwardOverwritesAndSkipsNulls(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        AttentionShape s = AttentionShape.causal(2, 5, 4, 2, 3, AttentionMask.validLength(5, 2));
        Tensor q = f.rand(F, 10, 12);
        Tensor kk = f.rand(F, 10, 6);
        Tensor v = f.rand(F, 10, 6);
        Tensor dout = f.rand(F, 10, 12);
        Tensor out = f.zeros(F, 10, 12);
        Tensor probs = f.zeros(F, 2, 4, 5, 5);
        k.attentionForward(out, probs, q, kk, v, s);
        Tensor dq = f.zeros(F, 10, 12);
        Tensor dk = f.zeros(F, 10, 6);
        Tensor dv = f.zeros(F, 10, 6);
        k.attentionBackward(dq, dk, dv, dout, probs, q, kk, v, s);
        Tensor dq2 = f.filled(dq, 50);
        Tensor dk2 = f.filled(dk, 50);
        Tensor dv2 = f.filled(dv, 50);
        k.attentionBackward(dq2, dk2, dv2, dout, probs, q, kk, v, s);
        assertClose("dq overwritten", dq, dq2, TOL);
        assertClose("dk overwritten", dk, dk2, TOL);
        assertClose("dv overwritten", dv, dv2, TOL);
        Tensor dq3 = f.filled(dq, 50);
        k.attentionBackward(dq3, null, null, dout, probs, q, kk, v, s);
        assertClose("dq alone", dq, dq3, TOL);
        // the probabilities of every row sum to one, masked keys get zero
        Tensor p = probs.reshape(40, 5);
        for (int r = 0; r < 40; r++) {
            double sum = 0;
            for (double e : Tensors.doubles(p.row(r))) {
                sum += e;
            }
            assertEquals(1.0, sum, 1e-6, "row " + r);
        }
        assertEquals(0.0, Tensors.get(probs, index(probs, 1, 0, 4, 2)), "sample 1 key 2 is padding");
        assertEquals(0.0, Tensors.get(probs, index(probs, 0, 0, 1, 2)), "future key");
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void embeddingBackwardAccumulatesAndNegativeIdsSkip(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor table = f.rand(F, 5, 3);
        Tensor out = f.filled(f.zeros(F, 3, 3), 9);
        k.embeddingForward(out, table, new int[] {4, -1, 4});
        assertClose("row 0", table.row(4), out.row(0), 0);
        assertClose("negative id row untouched", f.filled(f.zeros(F, 3), 9), out.row(1), 0);
        Tensor dt = f.filled(f.zeros(F, 5, 3), 1);
        Tensor dout = f.rand(F, 3, 3);
        k.embeddingBackward(dt, dout, new int[] {4, -1, 4});
        assertClose("repeated id sums", f.plus(f.plus(dout.row(0), dout.row(2)), 1), dt.row(4), TOL);
        assertClose("untouched row", f.filled(f.zeros(F, 3), 1), dt.row(0), 0);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void aliasesDocumentedInTheContract(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor a = f.rand(F, 4, 6);
        Tensor b = f.rand(F, 4, 6);
        Tensor sum = f.plus(a, b);
        Tensor aa = f.copyOf(a);
        k.add(aa, aa, b);
        assertClose("add into a", sum, aa, TOL);
        Tensor x = f.rand(F, 4, 6);
        Tensor dout = f.rand(F, 4, 6);
        Tensor want = f.zeros(F, 4, 6);
        k.activationBackward(want, dout, x, Activation.QUICK_GELU);
        Tensor alias = f.copyOf(dout);
        k.activationBackward(alias, alias, x, Activation.QUICK_GELU);
        assertClose("activation dx aliasing dout", want, alias, TOL);
        Tensor logits = f.rand(F, 3, 10);
        int[] targets = {1, -100, 9};
        Tensor d = f.zeros(F, 3, 10);
        double loss = k.crossEntropy(d, logits, targets, -100, 0.5f);
        Tensor inPlace = f.copyOf(logits);
        double loss2 = k.crossEntropy(inPlace, inPlace, targets, -100, 0.5f);
        assertEquals(loss, loss2, 1e-6);
        assertClose("dlogits aliasing logits", d, inPlace, TOL);
        assertClose("ignored row is zero", f.zeros(F, 10), d.row(1), 0);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void badArgumentsNameTheProblem(String backend) {
        Backend be = Backends.create(backend);
        Kernels k = be.kernels();
        KernelFixtures f = new KernelFixtures(be, rng);
        Tensor x = f.rand(F, 4, 5);
        Tensor w = f.rand(F, 3, 6);
        var e = assertThrows(IllegalArgumentException.class, () -> k.linearForward(f.zeros(F, 4, 3), x, w, null));
        assertTrue(e.getMessage().contains("linearForward") && e.getMessage().contains("w"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> k.add(f.zeros(F, 4, 5), x, f.rand(DType.DOUBLE, 4, 5)));
        assertTrue(e.getMessage().contains("mixed data types"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> k.crossEntropy(null, x, new int[] {0, 5, 1, 2}, -100, 1f));
        assertTrue(e.getMessage().contains("target 5"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> k.embeddingForward(f.zeros(F, 2, 5), x, new int[] {0, 4}));
        assertTrue(e.getMessage().contains("id 4"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> k.attentionForward(
                        f.zeros(F, 6, 4),
                        null,
                        f.zeros(F, 6, 4),
                        f.zeros(F, 6, 4),
                        f.zeros(F, 6, 4),
                        AttentionShape.causal(2, 3, 2, 2, 2, AttentionMask.validLength(3, 4))));
        assertTrue(e.getMessage().contains("validLength[1] = 4"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void deviceMemoryIsRefusedNamingTheTensor(String backend) {
        Kernels k = Backends.create(backend).kernels();
        Tensor device = Tensor.view(new DeviceStorage("cuda", 80), F, 0, 4, 5);
        Tensor host = Tensors.java().allocate(F, 4, 5);
        var e = assertThrows(IllegalStateException.class, () -> k.scale(host, device, 2f));
        assertTrue(e.getMessage().contains("FLOAT[4, 5] is in cuda device memory"), e.getMessage());
    }

    /** The flat index of element {@code at} of a row-major tensor. */
    private static long index(Tensor t, long... at) {
        long i = 0;
        for (int d = 0; d < at.length; d++) {
            i = i * t.size(d) + at[d];
        }
        return i;
    }
}
