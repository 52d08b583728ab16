package io.share4v.backend.nd4j;

import static io.share4v.tensor.testing.KernelFixtures.assertClose;
import static io.share4v.tensor.testing.KernelFixtures.tol;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.AttentionMask;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.ops.DecodeShape;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.KernelFixtures;
import io.share4v.tensor.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every optimised kernel (the {@code nd4j} backend's) against the scalar oracle (the {@code java} backend's) on
 * random inputs with odd sizes, in FLOAT and DOUBLE. Both read the same tensors, in the {@code nd4j} backend's
 * memory.
 */
class KernelParityTest {
    private final Kernels ref = Backends.create("java").kernels();
    private final Backend nd4j = Backends.create("nd4j");
    private final Kernels fast = nd4j.kernels();
    private final KernelFixtures f = new KernelFixtures(nd4j, new Random(42));

    @ParameterizedTest
    @EnumSource(DType.class)
    void gemmAllTransposes(DType t) {
        int m = 37;
        int k = 53;
        int n = 29;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? f.rand(t, k, m) : f.rand(t, m, k);
                Tensor b = tb ? f.rand(t, n, k) : f.rand(t, k, n);
                Tensor c0 = f.rand(t, m, n);
                Tensor want = f.copyOf(c0);
                Tensor got = f.copyOf(c0);
                ref.gemm(want, a, ta, b, tb, 0.7f, 0.3f);
                fast.gemm(got, a, ta, b, tb, 0.7f, 0.3f);
                assertClose("gemm " + ta + tb, want, got, tol(t));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linearForwardAndBackward(DType t) {
        int n = 45;
        int c = 31;
        int o = 17;
        Tensor x = f.rand(t, n, c);
        Tensor w = f.rand(t, o, c);
        Tensor bias = f.rand(t, o);
        for (Tensor b : new Tensor[] {bias, null}) {
            Tensor want = f.zeros(t, n, o);
            Tensor got = f.zeros(t, n, o);
            ref.linearForward(want, x, w, b);
            fast.linearForward(got, x, w, b);
            assertClose("linear y", want, got, tol(t));
        }
        Tensor dy = f.rand(t, n, o);
        Tensor dw0 = f.rand(t, o, c);
        Tensor db0 = f.rand(t, o);
        Tensor[] want = {f.zeros(t, n, c), f.copyOf(dw0), f.copyOf(db0)};
        Tensor[] got = {f.zeros(t, n, c), f.copyOf(dw0), f.copyOf(db0)};
        ref.linearBackward(want[0], want[1], want[2], dy, x, w);
        fast.linearBackward(got[0], got[1], got[2], dy, x, w);
        assertClose("linear dx", want[0], got[0], tol(t));
        assertClose("linear dw", want[1], got[1], tol(t));
        assertClose("linear dbias", want[2], got[2], tol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwise(DType t) {
        Tensor a = f.rand(t, 13, 21);
        Tensor b = f.rand(t, 13, 21);
        Tensor want = f.zeros(t, 13, 21);
        Tensor got = f.zeros(t, 13, 21);
        ref.add(want, a, b);
        fast.add(got, a, b);
        assertClose("add", want, got, tol(t));
        ref.addInPlace(want, a);
        fast.addInPlace(got, a);
        assertClose("addInPlace", want, got, tol(t));
        ref.scale(want, b, -1.7f);
        fast.scale(got, b, -1.7f);
        assertClose("scale", want, got, tol(t));
        Tensor flat = f.zeros(t, 13 * 21);
        fast.copy(flat, a);
        assertClose("copy", a.reshape(13 * 21), flat, 0);
        fast.zero(got);
        assertClose("zero", f.zeros(t, 13, 21), got, 0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void activationsAndSwiglu(DType t) {
        Tensor x = f.uniform(6, t, 11, 37); // covers the GELU tails
        Tensor dout = f.rand(t, 11, 37);
        for (Activation act : Activation.values()) {
            Tensor want = f.zeros(t, 11, 37);
            Tensor got = f.zeros(t, 11, 37);
            ref.activationForward(want, x, act);
            fast.activationForward(got, x, act);
            assertClose(act + " forward", want, got, tol(t));
            ref.activationBackward(want, dout, x, act);
            fast.activationBackward(got, dout, x, act);
            assertClose(act + " backward", want, got, tol(t));
        }
        Tensor up = f.rand(t, 11, 37);
        Tensor want = f.zeros(t, 11, 37);
        Tensor got = f.zeros(t, 11, 37);
        ref.swigluForward(want, x, up);
        fast.swigluForward(got, x, up);
        assertClose("swiglu", want, got, tol(t));
        Tensor wg = f.zeros(t, 11, 37);
        Tensor wu = f.zeros(t, 11, 37);
        Tensor gg = f.zeros(t, 11, 37);
        Tensor gu = f.zeros(t, 11, 37);
        ref.swigluBackward(wg, wu, dout, x, up);
        fast.swigluBackward(gg, gu, dout, x, up);
        assertClose("swiglu dgate", wg, gg, tol(t));
        assertClose("swiglu dup", wu, gu, tol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void norms(DType t) {
        int n = 19;
        int c = 67;
        Tensor x = f.plus(f.rand(t, n, c), 0.3);
        Tensor gamma = f.rand(t, c);
        Tensor beta = f.rand(t, c);
        Tensor dy = f.rand(t, n, c);
        Tensor[] w = {f.zeros(t, n, c), f.zeros(t, n), f.zeros(t, n)};
        Tensor[] g = {f.zeros(t, n, c), f.zeros(t, n), f.zeros(t, n)};
        ref.layerNormForward(w[0], w[1], w[2], x, gamma, beta, 1e-5f);
        fast.layerNormForward(g[0], g[1], g[2], x, gamma, beta, 1e-5f);
        assertClose("layernorm y", w[0], g[0], tol(t));
        assertClose("layernorm mean", w[1], g[1], tol(t));
        assertClose("layernorm rstd", w[2], g[2], tol(t));
        Tensor dg0 = f.rand(t, c);
        Tensor db0 = f.rand(t, c);
        Tensor[] wb = {f.zeros(t, n, c), f.copyOf(dg0), f.copyOf(db0)};
        Tensor[] gb = {f.zeros(t, n, c), f.copyOf(dg0), f.copyOf(db0)};
        ref.layerNormBackward(wb[0], wb[1], wb[2], dy, x, w[1], w[2], gamma);
        fast.layerNormBackward(gb[0], gb[1], gb[2], dy, x, w[1], w[2], gamma);
        assertClose("layernorm dx", wb[0], gb[0], tol(t));
        assertClose("layernorm dgamma", wb[1], gb[1], tol(t));
        assertClose("layernorm dbeta", wb[2], gb[2], tol(t));

        ref.rmsNormForward(w[0], w[2], x, gamma, 1e-6f);
        fast.rmsNormForward(g[0], g[2], x, gamma, 1e-6f);
        assertClose("rmsnorm y", w[0], g[0], tol(t));
        assertClose("rmsnorm rstd", w[2], g[2], tol(t));
        ref.rmsNormBackward(wb[0], wb[1], dy, x, w[2], gamma);
        fast.rmsNormBackward(gb[0], gb[1], dy, x, w[2], gamma);
        assertClose("rmsnorm dx", wb[0], gb[0], tol(t));
        assertClose("rmsnorm dgamma", wb[1], gb[1], tol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rope(DType t) {
        int b = 3;
        int seq = 7;
        int h = 5;
        int d = 6;
        Tensor cos = f.rand(t, 9, d);
        Tensor sin = f.rand(t, 9, d);
        Tensor x = f.rand(t, (long) b * seq, (long) h * d);
        for (boolean inverse : new boolean[] {false, true}) {
            Tensor want = f.copyOf(x);
            Tensor got = f.copyOf(x);
            ref.rope(want, cos, sin, b, seq, h, d, inverse);
            fast.rope(got, cos, sin, b, seq, h, d, inverse);
            assertClose("rope inverse=" + inverse, want, got, tol(t));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void attentionGqaCausalPadded(DType t) {
        // GQA 6 heads over 2 kv heads, odd sequence, one sample fully padded, one partly
        checkAttention(t, new AttentionShape(3, 13, 6, 2, 5, true, 0.37f, AttentionMask.validLength(13, 7, 0)));
        checkAttention(t, new AttentionShape(2, 9, 4, 4, 8, false, 0.25f, AttentionMask.validLength(9, 4)));
        checkAttention(t, AttentionShape.full(2, 11, 3, 7));
        checkAttention(t, AttentionShape.causal(1, 17, 4, 1, 6, AttentionMask.none()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void attentionMidSequenceKeyMask(DType t) {
        // sample 0: masked keys in the middle; sample 1: key 0 masked too, so causal query 0 sees no key (uniform);
        // sample 2: mask combined with right padding
        int b = 3;
        int seq = 11;
        boolean[] keyValid = new boolean[b * seq];
        java.util.Arrays.fill(keyValid, true);
        keyValid[3] = false;
        keyValid[4] = false;
        keyValid[9] = false;
        keyValid[seq] = false;
        keyValid[seq + 6] = false;
        keyValid[2 * seq + 2] = false;
        checkAttention(
                t,
                new AttentionShape(
                        b,
                        seq,
                        6,
                        2,
                        5,
                        true,
                        0.37f,
                        AttentionMask.validLength(11, 11, 7).andKeyValid(keyValid)));
        checkAttention(t, new AttentionShape(b, seq, 4, 4, 8, false, 0.25f, AttentionMask.keyValid(keyValid)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void keyMaskOfRightPaddingIsBitIdenticalToValidLength(DType t) {
        int[] valid = {9, 4, 0};
        int seq = 9;
        boolean[] keyValid = new boolean[valid.length * seq];
        for (int b = 0; b < valid.length; b++) {
            for (int j = 0; j < valid[b]; j++) {
                keyValid[b * seq + j] = true;
            }
        }
        for (boolean causal : new boolean[] {true, false}) {
            AttentionShape byLength =
                    new AttentionShape(valid.length, seq, 4, 2, 6, causal, 0.3f, AttentionMask.validLength(valid));
            AttentionShape byMask =
                    new AttentionShape(valid.length, seq, 4, 2, 6, causal, 0.3f, AttentionMask.keyValid(keyValid));
            long rows = (long) valid.length * seq;
            Tensor q = f.uniform(2, t, rows, 24);
            Tensor k = f.uniform(2, t, rows, 12);
            Tensor v = f.rand(t, rows, 12);
            Tensor dout = f.rand(t, rows, 24);
            for (Kernels kern : new Kernels[] {ref, fast}) {
                Tensor[] a = attentionRun(kern, t, q, k, v, dout, byLength);
                Tensor[] m = attentionRun(kern, t, q, k, v, dout, byMask);
                String[] names = {"out", "probs", "dq", "dk", "dv"};
                for (int i = 0; i < a.length; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            Tensors.doubles(a[i]),
                            Tensors.doubles(m[i]),
                            kern.getClass().getSimpleName() + " " + names[i] + " causal=" + causal);
                }
            }
        }
    }

    private Tensor[] attentionRun(Kernels kern, DType t, Tensor q, Tensor k, Tensor v, Tensor dout, AttentionShape s) {
        Tensor out = f.zeros(t, q.shape());
        Tensor probs = f.zeros(t, s.batch(), s.heads(), s.seq(), s.seq());
        kern.attentionForward(out, probs, q, k, v, s);
        Tensor dq = f.zeros(t, q.shape());
        Tensor dk = f.zeros(t, k.shape());
        Tensor dv = f.zeros(t, v.shape());
        kern.attentionBackward(dq, dk, dv, dout, probs, q, k, v, s);
        return new Tensor[] {out, probs, dq, dk, dv};
    }

    private void checkAttention(DType t, AttentionShape s) {
        long rows = (long) s.batch() * s.seq();
        Tensor q = f.uniform(2, t, rows, (long) s.heads() * s.headDim());
        Tensor k = f.uniform(2, t, rows, (long) s.kvHeads() * s.headDim());
        Tensor v = f.rand(t, rows, (long) s.kvHeads() * s.headDim());
        Tensor dout = f.rand(t, rows, (long) s.heads() * s.headDim());
        Tensor[] w = {
            f.zeros(t, rows, (long) s.heads() * s.headDim()), f.zeros(t, s.batch(), s.heads(), s.seq(), s.seq())
        };
        Tensor[] g = {
            f.zeros(t, rows, (long) s.heads() * s.headDim()), f.zeros(t, s.batch(), s.heads(), s.seq(), s.seq())
        };
        ref.attentionForward(w[0], w[1], q, k, v, s);
        fast.attentionForward(g[0], g[1], q, k, v, s);
        assertClose("attention out", w[0], g[0], tol(t));
        assertClose("attention probs", w[1], g[1], tol(t));
        Tensor noProbs = f.zeros(t, rows, (long) s.heads() * s.headDim());
        fast.attentionForward(noProbs, null, q, k, v, s);
        assertClose("attention out without probs", w[0], noProbs, tol(t));

        Tensor[] wb = {f.filled(q, 9), f.filled(k, 9), f.filled(v, 9)};
        Tensor[] gb = {f.filled(q, 9), f.filled(k, 9), f.filled(v, 9)};
        ref.attentionBackward(wb[0], wb[1], wb[2], dout, w[1], q, k, v, s);
        fast.attentionBackward(gb[0], gb[1], gb[2], dout, g[1], q, k, v, s);
        assertClose("attention dq", wb[0], gb[0], tol(t));
        assertClose("attention dk", wb[1], gb[1], tol(t));
        assertClose("attention dv", wb[2], gb[2], tol(t));
        Tensor[] rb = {f.filled(q, 9), f.filled(k, 9), f.filled(v, 9)};
        fast.attentionBackward(rb[0], rb[1], rb[2], dout, null, q, k, v, s);
        assertClose("attention dq recomputed", wb[0], rb[0], tol(t));
        assertClose("attention dk recomputed", wb[1], rb[1], tol(t));
        assertClose("attention dv recomputed", wb[2], rb[2], tol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void attentionDecodeMatchesFullCausalRows(DType t) {
        int b = 2;
        int seq = 11;
        int cap = 16;
        int h = 4;
        int hkv = 2;
        int d = 6;
        AttentionShape full = AttentionShape.causal(b, seq, h, hkv, d, AttentionMask.none());
        Tensor q = f.rand(t, (long) b * seq, (long) h * d);
        Tensor k = f.rand(t, (long) b * seq, (long) hkv * d);
        Tensor v = f.rand(t, (long) b * seq, (long) hkv * d);
        Tensor want = f.zeros(t, (long) b * seq, (long) h * d);
        ref.attentionForward(want, null, q, k, v, full);
        // cache holds the same keys at rows b*cap + j; decode the last 3 positions
        Tensor kc = f.rand(t, (long) b * cap, (long) hkv * d);
        Tensor vc = f.rand(t, (long) b * cap, (long) hkv * d);
        int past = 8;
        int n = seq - past;
        Tensor qNew = f.zeros(t, (long) b * n, (long) h * d);
        for (int s = 0; s < b; s++) {
            for (int j = 0; j < seq; j++) {
                Tensors.assign(kc.row((long) s * cap + j), k.row((long) s * seq + j));
                Tensors.assign(vc.row((long) s * cap + j), v.row((long) s * seq + j));
            }
            for (int i = 0; i < n; i++) {
                Tensors.assign(qNew.row((long) s * n + i), q.row((long) s * seq + past + i));
            }
        }
        DecodeShape ds = DecodeShape.of(b, n, past, cap, h, hkv, d);
        for (Kernels kern : new Kernels[] {ref, fast}) {
            Tensor out = f.zeros(t, (long) b * n, (long) h * d);
            kern.attentionDecode(out, qNew, kc, vc, ds);
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < n; i++) {
                    assertClose(
                            kern.name() + " decode row " + s + "," + i,
                            want.row((long) s * seq + past + i),
                            out.row((long) s * n + i),
                            tol(t));
                }
            }
        }
    }

    /**
     * Ragged decode: samples at different past lengths, cache blocks in a permuted order (a finished sample's
     * block left out), each new row equal to the same row of a full causal attention over that sample alone.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void attentionDecodePerSamplePastAndSlot(DType t) {
        int h = 4;
        int hkv = 2;
        int d = 6;
        int cap = 14;
        int blocks = 4;
        int[] past = {0, 5, 10, 9};
        int[] slot = {2, 0, 3, 1};
        for (int n : new int[] {1, 3}) {
            int b = 3; // the sample in slot 1 is "finished": its block is not read
            Tensor kc = f.rand(t, (long) blocks * cap, (long) hkv * d);
            Tensor vc = f.rand(t, (long) blocks * cap, (long) hkv * d);
            Tensor qNew = f.rand(t, (long) b * n, (long) h * d);
            Tensor[] want = new Tensor[b];
            for (int s = 0; s < b; s++) {
                int len = past[s] + n;
                Tensor qs = f.zeros(t, len, (long) h * d);
                Tensor ks = f.zeros(t, len, (long) hkv * d);
                Tensor vs = f.zeros(t, len, (long) hkv * d);
                for (int j = 0; j < len; j++) {
                    Tensors.assign(ks.row(j), kc.row((long) slot[s] * cap + j));
                    Tensors.assign(vs.row(j), vc.row((long) slot[s] * cap + j));
                }
                for (int i = 0; i < n; i++) {
                    Tensors.assign(qs.row(past[s] + i), qNew.row((long) s * n + i));
                }
                want[s] = f.zeros(t, len, (long) h * d);
                ref.attentionForward(
                        want[s], null, qs, ks, vs, AttentionShape.causal(1, len, h, hkv, d, AttentionMask.none()));
            }
            DecodeShape ds = DecodeShape.perSample(
                    n, java.util.Arrays.copyOf(past, b), java.util.Arrays.copyOf(slot, b), cap, h, hkv, d);
            for (Kernels kern : new Kernels[] {ref, fast}) {
                Tensor out = f.zeros(t, (long) b * n, (long) h * d);
                kern.attentionDecode(out, qNew, kc, vc, ds);
                for (int s = 0; s < b; s++) {
                    for (int i = 0; i < n; i++) {
                        assertClose(
                                kern.name() + " n=" + n + " sample " + s + " row " + i,
                                want[s].row(past[s] + i),
                                out.row((long) s * n + i),
                                tol(t));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void attentionDecodeRejectsASlotOutsideTheCache(DType t) {
        Tensor kc = f.rand(t, 2L * 8, 4);
        Tensor q = f.rand(t, 1, 8);
        DecodeShape ds = DecodeShape.perSample(1, new int[] {3}, new int[] {2}, 8, 2, 1, 4);
        for (Kernels kern : new Kernels[] {ref, fast}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> kern.attentionDecode(f.zeros(t, 1, 8), q, kc, kc, ds));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("3 blocks"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void embeddingsLossAndPatches(DType t) {
        Tensor table = f.rand(t, 23, 9);
        int[] ids = {3, 0, 22, -1, 3, 7};
        Tensor want = f.rand(t, 6, 9);
        Tensor got = f.copyOf(want);
        ref.embeddingForward(want, table, ids);
        fast.embeddingForward(got, table, ids);
        assertClose("embedding", want, got, tol(t));
        Tensor dt0 = f.rand(t, 23, 9);
        Tensor wd = f.copyOf(dt0);
        Tensor gd = f.copyOf(dt0);
        Tensor dout = f.rand(t, 6, 9);
        ref.embeddingBackward(wd, dout, ids);
        fast.embeddingBackward(gd, dout, ids);
        assertClose("embedding backward", wd, gd, tol(t));

        Tensor logits = f.uniform(8, t, 7, 301);
        int[] targets = {5, -100, 300, 0, -100, 17, 150};
        Tensor wl = f.zeros(t, 7, 301);
        Tensor gl = f.zeros(t, 7, 301);
        double lw = ref.crossEntropy(wl, logits, targets, -100, 0.2f);
        double lg = fast.crossEntropy(gl, logits, targets, -100, 0.2f);
        assertClose("ce loss", lw, lg, tol(t));
        assertClose("ce dlogits", wl, gl, tol(t));

        Tensor images = f.rand(t, 2, 3, 12, 8);
        Tensor wp = f.zeros(t, 2 * 3 * 2, 3 * 16);
        Tensor gp = f.zeros(t, 2 * 3 * 2, 3 * 16);
        ref.patchify(wp, images, 4);
        fast.patchify(gp, images, 4);
        assertClose("patchify", wp, gp, 0);
    }
}
