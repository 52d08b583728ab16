package io.share4v.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.AttentionMask;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.testing.KernelFixtures;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * A transformer-block-like sequence of CpuBlasKernels calls on the {@code nd4j} backend's tensors, repeated: after
 * warm-up, the process's physical memory (JavaCPP's RSS reading, which counts that backend's native storages and
 * the kernels' scratch) must not grow. Each operand is about 1 MB, so a copy per call would add hundreds of MB over
 * the repeats.
 */
class FlatMemoryTest {
    private static final DType F = DType.FLOAT;

    @Test
    void repeatedKernelSequenceKeepsMemoryFlat() {
        CpuBlasKernels k = CpuBlasKernels.create(); // its scratch counters are read below
        Random rng = new Random(11);
        KernelFixtures f = new KernelFixtures(Backends.create("nd4j"), rng);
        int b = 2;
        int t = 128;
        int c = 256;
        int h = 4;
        int d = c / h;
        int n = b * t;
        AttentionShape s = AttentionShape.causal(b, t, h, h, d, AttentionMask.validLength(t, t - 17));
        Tensor x = f.rand(F, n, c);
        Tensor w = f.rand(F, 3 * c, c);
        Tensor w2 = f.rand(F, c, c);
        Tensor gamma = f.rand(F, c);
        Tensor qkv = f.zeros(F, n, 3 * c);
        Tensor q = f.zeros(F, n, c);
        Tensor kk = f.zeros(F, n, c);
        Tensor v = f.zeros(F, n, c);
        Tensor att = f.zeros(F, n, c);
        Tensor probs = f.zeros(F, b, h, t, t);
        Tensor y = f.zeros(F, n, c);
        Tensor rstd = f.zeros(F, n);
        Tensor dy = f.rand(F, n, c);
        Tensor datt = f.zeros(F, n, c);
        Tensor dq = f.zeros(F, n, c);
        Tensor dk = f.zeros(F, n, c);
        Tensor dv = f.zeros(F, n, c);
        Tensor dx = f.zeros(F, n, c);
        Tensor dw = f.zeros(F, 3 * c, c);
        Tensor dw2 = f.zeros(F, c, c);
        Tensor dgamma = f.zeros(F, c);
        Tensor cos = f.rand(F, t, d);
        Tensor sin = f.rand(F, t, d);
        Tensor logits = f.zeros(F, n, c);
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
        long scratch = k.scratchBytes();
        long allocations = k.scratchAllocations();
        long before = Pointer.physicalBytes();
        // no System.gc() in the loop: off-heap memory that a kernel allocated per call would only be returned
        // by a collection, so it shows up as growth here
        for (int i = 0; i < 100; i++) {
            step.run();
        }
        long after = Pointer.physicalBytes();
        assertEquals(scratch, k.scratchBytes(), "scratch pool grew after warm-up");
        assertEquals(allocations, k.scratchAllocations(), "kernels allocated native scratch after warm-up");
        long growthMb = (after - before) >> 20;
        System.out.println("FlatMemoryTest: physical bytes " + (before >> 20) + " MB -> " + (after >> 20) + " MB");
        assertTrue(
                growthMb < 32,
                "physical memory grew by " + growthMb + " MB over 100 steps (from " + (before >> 20) + " MB)");
    }
}
