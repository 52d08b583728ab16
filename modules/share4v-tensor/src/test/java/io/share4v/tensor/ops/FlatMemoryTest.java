package io.share4v.tensor.ops;

import static io.share4v.tensor.ops.Fixtures.rand;
import static io.share4v.tensor.ops.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A transformer-block-like sequence of CpuBlasKernels calls, repeated: after warm-up, the process's physical
 * memory (JavaCPP's RSS reading, which counts ND4J's off-heap arrays) must not grow. Each
 * operand is about 1 MB, so a copy per call would add hundreds of MB over the repeats.
 */
class FlatMemoryTest {
    private static final DataType F = DataType.FLOAT;

    @Test
    void repeatedKernelSequenceKeepsMemoryFlat() {
        CpuBlasKernels blas = CpuBlasKernels.create(); // its scratch counters are read below
        Kernels k = new ArrayKernels(blas);
        Random rng = new Random(11);
        int b = 2;
        int t = 128;
        int c = 256;
        int h = 4;
        int d = c / h;
        int n = b * t;
        AttentionShape s = AttentionShape.causal(b, t, h, h, d, AttentionMask.validLength(t, t - 17));
        INDArray x = rand(rng, F, n, c);
        INDArray w = rand(rng, F, 3 * c, c);
        INDArray w2 = rand(rng, F, c, c);
        INDArray gamma = rand(rng, F, c);
        INDArray qkv = view(F, n, 3 * c);
        INDArray q = view(F, n, c);
        INDArray kk = view(F, n, c);
        INDArray v = view(F, n, c);
        INDArray att = view(F, n, c);
        INDArray probs = view(F, b, h, t, t);
        INDArray y = view(F, n, c);
        INDArray rstd = view(F, n);
        INDArray dy = rand(rng, F, n, c);
        INDArray datt = view(F, n, c);
        INDArray dq = view(F, n, c);
        INDArray dk = view(F, n, c);
        INDArray dv = view(F, n, c);
        INDArray dx = view(F, n, c);
        INDArray dw = view(F, 3 * c, c);
        INDArray dw2 = view(F, c, c);
        INDArray dgamma = view(F, c);
        INDArray cos = rand(rng, F, t, d);
        INDArray sin = rand(rng, F, t, d);
        INDArray logits = view(F, n, c);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = i % 7 == 0 ? -100 : rng.nextInt(c);
        }
        Runnable step = () -> {
            k.rmsNormForward(y, rstd, x, gamma, 1e-6f);
            k.linearForward(qkv, y, w, null);
            k.copy(q, y);
            k.copy(kk, q);
            k.copy(v, q);
            k.rope(q, cos, sin, b, t, h, d, false);
            k.attentionForward(att, probs, q, kk, v, s);
            k.linearForward(logits, att, w2, null);
            k.crossEntropy(logits, logits, targets, -100, 1f / n);
            k.linearBackward(datt, dw2, null, logits, att, w2);
            k.attentionBackward(dq, dk, dv, datt, probs, q, kk, v, s);
            k.attentionBackward(dq, dk, dv, datt, null, q, kk, v, s);
            k.swigluForward(dx, dq, dk);
            k.activationBackward(dx, dx, dv, Activation.SILU);
            k.rmsNormBackward(dx, dgamma, dy, x, rstd, gamma);
            k.linearBackward(null, dw, null, qkv, y, w);
            k.zero(dw);
        };
        for (int i = 0; i < 10; i++) {
            step.run();
        }
        System.gc();
        long scratch = blas.scratchBytes();
        long allocations = blas.scratchAllocations();
        long before = Pointer.physicalBytes();
        // no System.gc() in the loop: off-heap memory that a kernel allocated per call would only be returned
        // by a collection, so it shows up as growth here
        for (int i = 0; i < 100; i++) {
            step.run();
        }
        long after = Pointer.physicalBytes();
        assertEquals(scratch, blas.scratchBytes(), "scratch pool grew after warm-up");
        assertEquals(allocations, blas.scratchAllocations(), "kernels allocated native scratch after warm-up");
        long growthMb = (after - before) >> 20;
        System.out.println("FlatMemoryTest: physical bytes " + (before >> 20) + " MB -> " + (after >> 20) + " MB");
        assertTrue(
                growthMb < 32,
                "physical memory grew by " + growthMb + " MB over 100 steps (from " + (before >> 20) + " MB)");
    }
}
