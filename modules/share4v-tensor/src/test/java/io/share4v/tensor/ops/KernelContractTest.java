package io.share4v.tensor.ops;

import static io.share4v.tensor.ops.Fixtures.assertClose;
import static io.share4v.tensor.ops.Fixtures.copyOf;
import static io.share4v.tensor.ops.Fixtures.filled;
import static io.share4v.tensor.ops.Fixtures.rand;
import static io.share4v.tensor.ops.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.testing.HostKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Kernels contract beyond the math: parameter gradients accumulate, input gradients are overwritten,
 * null gradients skip their work, documented aliases work, and bad arguments are errors naming them.
 */
class KernelContractTest {
    private static final DataType F = DataType.FLOAT;
    private static final double TOL = 1e-5;

    private final Random rng = new Random(3);

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void linearBackwardAccumulatesParamsOverwritesInputsAndSkipsNulls(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray x = rand(rng, F, 6, 5);
        INDArray w = rand(rng, F, 4, 5);
        INDArray dy = rand(rng, F, 6, 4);
        INDArray dx = view(F, 6, 5);
        INDArray dw = view(F, 4, 5);
        INDArray db = view(F, 4);
        k.linearBackward(dx, dw, db, dy, x, w);
        INDArray dxGarbage = filled(dx, 123);
        INDArray dw2 = filled(dw, 1);
        INDArray db2 = filled(db, 1);
        k.linearBackward(dxGarbage, dw2, db2, dy, x, w);
        assertClose("dx overwritten", dx, dxGarbage, TOL);
        assertClose("dw accumulated", dw.add(1), dw2, TOL);
        assertClose("dbias accumulated", db.add(1), db2, TOL);
        // frozen layer below (dx null) and frozen weights (dw, dbias null)
        INDArray dw3 = view(F, 4, 5);
        k.linearBackward(null, dw3, null, dy, x, w);
        assertClose("dw without dx", dw, dw3, TOL);
        INDArray dx3 = view(F, 6, 5);
        k.linearBackward(dx3, null, null, dy, x, w);
        assertClose("dx without dw", dx, dx3, TOL);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void normBackwardsAccumulateGammaBetaAndOverwriteDx(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray x = rand(rng, F, 3, 8);
        INDArray gamma = rand(rng, F, 8);
        INDArray beta = rand(rng, F, 8);
        INDArray dy = rand(rng, F, 3, 8);
        INDArray y = view(F, 3, 8);
        INDArray mean = view(F, 3);
        INDArray rstd = view(F, 3);
        k.layerNormForward(y, mean, rstd, x, gamma, beta, 1e-5f);
        INDArray dx = view(F, 3, 8);
        INDArray dg = view(F, 8);
        INDArray db = view(F, 8);
        k.layerNormBackward(dx, dg, db, dy, x, mean, rstd, gamma);
        INDArray dx2 = filled(dx, -7);
        INDArray dg2 = filled(dg, 2);
        INDArray db2 = filled(db, 2);
        k.layerNormBackward(dx2, dg2, db2, dy, x, mean, rstd, gamma);
        assertClose("ln dx overwritten", dx, dx2, TOL);
        assertClose("ln dgamma accumulated", dg.add(2), dg2, TOL);
        assertClose("ln dbeta accumulated", db.add(2), db2, TOL);
        INDArray dx3 = view(F, 3, 8);
        k.layerNormBackward(dx3, null, null, dy, x, mean, rstd, gamma);
        assertClose("ln dx alone", dx, dx3, TOL);

        k.rmsNormForward(y, rstd, x, gamma, 1e-6f);
        k.rmsNormBackward(dx, dg, dy, x, rstd, gamma);
        INDArray dg4 = filled(dg, 0);
        INDArray dx4 = filled(dx, 5);
        k.rmsNormBackward(dx4, dg4, dy, x, rstd, gamma);
        INDArray dg5 = filled(dg, 3);
        k.rmsNormBackward(null, dg5, dy, x, rstd, gamma);
        assertClose("rms dx overwritten", dx, dx4, TOL);
        assertClose("rms dgamma accumulated", dg4.add(3), dg5, TOL);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void attentionBackwardOverwritesAndSkipsNulls(String kernels) {
        Kernels k = Kernels.create(kernels);
        AttentionShape s = AttentionShape.causal(2, 5, 4, 2, 3, AttentionMask.validLength(5, 2));
        INDArray q = rand(rng, F, 10, 12);
        INDArray kk = rand(rng, F, 10, 6);
        INDArray v = rand(rng, F, 10, 6);
        INDArray dout = rand(rng, F, 10, 12);
        INDArray out = view(F, 10, 12);
        INDArray probs = view(F, 2, 4, 5, 5);
        k.attentionForward(out, probs, q, kk, v, s);
        INDArray dq = view(F, 10, 12);
        INDArray dk = view(F, 10, 6);
        INDArray dv = view(F, 10, 6);
        k.attentionBackward(dq, dk, dv, dout, probs, q, kk, v, s);
        INDArray dq2 = filled(dq, 50);
        INDArray dk2 = filled(dk, 50);
        INDArray dv2 = filled(dv, 50);
        k.attentionBackward(dq2, dk2, dv2, dout, probs, q, kk, v, s);
        assertClose("dq overwritten", dq, dq2, TOL);
        assertClose("dk overwritten", dk, dk2, TOL);
        assertClose("dv overwritten", dv, dv2, TOL);
        INDArray dq3 = filled(dq, 50);
        k.attentionBackward(dq3, null, null, dout, probs, q, kk, v, s);
        assertClose("dq alone", dq, dq3, TOL);
        // the probabilities of every row sum to one, masked keys get zero
        INDArray p = probs.reshape(40, 5);
        for (int r = 0; r < 40; r++) {
            assertEquals(1.0, p.getRow(r).sumNumber().doubleValue(), 1e-6, "row " + r);
        }
        assertEquals(0.0, probs.getDouble(1, 0, 4, 2), "sample 1 key 2 is padding");
        assertEquals(0.0, probs.getDouble(0, 0, 1, 2), "future key");
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void embeddingBackwardAccumulatesAndNegativeIdsSkip(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray table = rand(rng, F, 5, 3);
        INDArray out = filled(view(F, 3, 3), 9);
        k.embeddingForward(out, table, new int[] {4, -1, 4});
        assertClose("row 0", table.getRow(4), out.getRow(0), 0);
        assertClose("negative id row untouched", filled(view(F, 3), 9), out.getRow(1), 0);
        INDArray dt = filled(view(F, 5, 3), 1);
        INDArray dout = rand(rng, F, 3, 3);
        k.embeddingBackward(dt, dout, new int[] {4, -1, 4});
        assertClose("repeated id sums", dout.getRow(0).add(dout.getRow(2)).add(1), dt.getRow(4), TOL);
        assertClose("untouched row", filled(view(F, 3), 1), dt.getRow(0), 0);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void aliasesDocumentedInTheContract(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray a = rand(rng, F, 4, 6);
        INDArray b = rand(rng, F, 4, 6);
        INDArray sum = a.add(b);
        INDArray aa = copyOf(a);
        k.add(aa, aa, b);
        assertClose("add into a", sum, aa, TOL);
        INDArray x = rand(rng, F, 4, 6);
        INDArray dout = rand(rng, F, 4, 6);
        INDArray want = view(F, 4, 6);
        k.activationBackward(want, dout, x, Activation.QUICK_GELU);
        INDArray alias = copyOf(dout);
        k.activationBackward(alias, alias, x, Activation.QUICK_GELU);
        assertClose("activation dx aliasing dout", want, alias, TOL);
        INDArray logits = rand(rng, F, 3, 10);
        int[] targets = {1, -100, 9};
        INDArray d = view(F, 3, 10);
        double loss = k.crossEntropy(d, logits, targets, -100, 0.5f);
        INDArray inPlace = copyOf(logits);
        double loss2 = k.crossEntropy(inPlace, inPlace, targets, -100, 0.5f);
        assertEquals(loss, loss2, 1e-6);
        assertClose("dlogits aliasing logits", d, inPlace, TOL);
        assertClose("ignored row is zero", view(F, 10), d.getRow(1), 0);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void badArgumentsNameTheProblem(String kernels) {
        Kernels k = Kernels.create(kernels);
        INDArray x = rand(rng, F, 4, 5);
        INDArray w = rand(rng, F, 3, 6);
        var e = assertThrows(IllegalArgumentException.class, () -> k.linearForward(view(F, 4, 3), x, w, null));
        assertTrue(e.getMessage().contains("linearForward") && e.getMessage().contains("w"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> k.add(view(F, 4, 5), x, rand(rng, DataType.DOUBLE, 4, 5)));
        assertTrue(e.getMessage().contains("mixed data types"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> k.crossEntropy(null, x, new int[] {0, 5, 1, 2}, -100, 1f));
        assertTrue(e.getMessage().contains("target 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> k.embeddingForward(view(F, 2, 5), x, new int[] {0, 4}));
        assertTrue(e.getMessage().contains("id 4"), e.getMessage());
        INDArray transposed = Nd4j.rand(F, 5, 4).transpose();
        e = assertThrows(IllegalArgumentException.class, () -> k.scale(view(F, 4, 5), transposed, 2f));
        assertTrue(e.getMessage().contains("dense C-ordered"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> k.attentionForward(
                        view(F, 6, 4),
                        null,
                        view(F, 6, 4),
                        view(F, 6, 4),
                        view(F, 6, 4),
                        AttentionShape.causal(2, 3, 2, 2, 2, AttentionMask.validLength(3, 4))));
        assertTrue(e.getMessage().contains("validLength[1] = 4"), e.getMessage());
    }

    @Test
    void nd4jKernelsRefuseAnyBackendButNd4jCpu() {
        CpuBlasKernels.requireCpuBackend("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        var e = assertThrows(
                IllegalStateException.class,
                () -> CpuBlasKernels.requireCpuBackend("org.nd4j.linalg.jcublas.JCublasBackend"));
        assertTrue(e.getMessage().contains("org.nd4j.linalg.jcublas.JCublasBackend"), e.getMessage());
        assertTrue(e.getMessage().contains("need ND4J's CPU backend (nd4j-native"), e.getMessage());
    }

    @Test
    void factoryChoosesByName() {
        assertEquals("scalar", Kernels.create("scalar").name());
        assertTrue(
                Kernels.create("nd4j").name().startsWith("nd4j-cpu("),
                Kernels.create("nd4j").name());
        var e = assertThrows(IllegalArgumentException.class, () -> Kernels.create("cuda"));
        assertTrue(e.getMessage().contains("known: nd4j, scalar"), e.getMessage());
    }
}
