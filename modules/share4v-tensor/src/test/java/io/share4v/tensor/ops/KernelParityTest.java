package io.share4v.tensor.ops;

import static io.share4v.tensor.ops.Fixtures.assertClose;
import static io.share4v.tensor.ops.Fixtures.copyOf;
import static io.share4v.tensor.ops.Fixtures.rand;
import static io.share4v.tensor.ops.Fixtures.tol;
import static io.share4v.tensor.ops.Fixtures.view;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every optimised kernel against the scalar oracle on random inputs with odd sizes, in FLOAT and DOUBLE. */
class KernelParityTest {
    enum Type {
        FLOAT(DataType.FLOAT),
        DOUBLE(DataType.DOUBLE);

        final DataType dt;

        Type(DataType dt) {
            this.dt = dt;
        }
    }

    private final Kernels ref = Kernels.create("scalar");
    private final Kernels fast = Kernels.create("nd4j");
    private final Random rng = new Random(42);

    @ParameterizedTest
    @EnumSource(Type.class)
    void gemmAllTransposes(Type type) {
        DataType t = type.dt;
        int m = 37;
        int k = 53;
        int n = 29;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                INDArray a = ta ? rand(rng, t, k, m) : rand(rng, t, m, k);
                INDArray b = tb ? rand(rng, t, n, k) : rand(rng, t, k, n);
                INDArray c0 = rand(rng, t, m, n);
                INDArray want = copyOf(c0);
                INDArray got = copyOf(c0);
                ref.gemm(want, a, ta, b, tb, 0.7f, 0.3f);
                fast.gemm(got, a, ta, b, tb, 0.7f, 0.3f);
                assertClose("gemm " + ta + tb, want, got, tol(t));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void linearForwardAndBackward(Type type) {
        DataType t = type.dt;
        int n = 45;
        int c = 31;
        int o = 17;
        INDArray x = rand(rng, t, n, c);
        INDArray w = rand(rng, t, o, c);
        INDArray bias = rand(rng, t, o);
        for (INDArray b : new INDArray[] {bias, null}) {
            INDArray want = view(t, n, o);
            INDArray got = view(t, n, o);
            ref.linearForward(want, x, w, b);
            fast.linearForward(got, x, w, b);
            assertClose("linear y", want, got, tol(t));
        }
        INDArray dy = rand(rng, t, n, o);
        INDArray dw0 = rand(rng, t, o, c);
        INDArray db0 = rand(rng, t, o);
        INDArray[] want = {view(t, n, c), copyOf(dw0), copyOf(db0)};
        INDArray[] got = {view(t, n, c), copyOf(dw0), copyOf(db0)};
        ref.linearBackward(want[0], want[1], want[2], dy, x, w);
        fast.linearBackward(got[0], got[1], got[2], dy, x, w);
        assertClose("linear dx", want[0], got[0], tol(t));
        assertClose("linear dw", want[1], got[1], tol(t));
        assertClose("linear dbias", want[2], got[2], tol(t));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void elementwise(Type type) {
        DataType t = type.dt;
        INDArray a = rand(rng, t, 13, 21);
        INDArray b = rand(rng, t, 13, 21);
        INDArray want = view(t, 13, 21);
        INDArray got = view(t, 13, 21);
        ref.add(want, a, b);
        fast.add(got, a, b);
        assertClose("add", want, got, tol(t));
        ref.addInPlace(want, a);
        fast.addInPlace(got, a);
        assertClose("addInPlace", want, got, tol(t));
        ref.scale(want, b, -1.7f);
        fast.scale(got, b, -1.7f);
        assertClose("scale", want, got, tol(t));
        INDArray flat = view(t, 13 * 21);
        fast.copy(flat, a);
        assertClose("copy", a.reshape(13 * 21), flat, 0);
        fast.zero(got);
        assertClose("zero", view(t, 13, 21), got, 0);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void activationsAndSwiglu(Type type) {
        DataType t = type.dt;
        INDArray x = rand(rng, t, 11, 37).muli(6); // covers the GELU tails
        INDArray dout = rand(rng, t, 11, 37);
        for (Activation f : Activation.values()) {
            INDArray want = view(t, 11, 37);
            INDArray got = view(t, 11, 37);
            ref.activationForward(want, x, f);
            fast.activationForward(got, x, f);
            assertClose(f + " forward", want, got, tol(t));
            ref.activationBackward(want, dout, x, f);
            fast.activationBackward(got, dout, x, f);
            assertClose(f + " backward", want, got, tol(t));
        }
        INDArray up = rand(rng, t, 11, 37);
        INDArray want = view(t, 11, 37);
        INDArray got = view(t, 11, 37);
        ref.swigluForward(want, x, up);
        fast.swigluForward(got, x, up);
        assertClose("swiglu", want, got, tol(t));
        INDArray wg = view(t, 11, 37);
        INDArray wu = view(t, 11, 37);
        INDArray gg = view(t, 11, 37);
        INDArray gu = view(t, 11, 37);
        ref.swigluBackward(wg, wu, dout, x, up);
        fast.swigluBackward(gg, gu, dout, x, up);
        assertClose("swiglu dgate", wg, gg, tol(t));
        assertClose("swiglu dup", wu, gu, tol(t));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void norms(Type type) {
        DataType t = type.dt;
        int n = 19;
        int c = 67;
        INDArray x = rand(rng, t, n, c).addi(0.3);
        INDArray gamma = rand(rng, t, c);
        INDArray beta = rand(rng, t, c);
        INDArray dy = rand(rng, t, n, c);
        INDArray[] w = {view(t, n, c), view(t, n), view(t, n)};
        INDArray[] g = {view(t, n, c), view(t, n), view(t, n)};
        ref.layerNormForward(w[0], w[1], w[2], x, gamma, beta, 1e-5f);
        fast.layerNormForward(g[0], g[1], g[2], x, gamma, beta, 1e-5f);
        assertClose("layernorm y", w[0], g[0], tol(t));
        assertClose("layernorm mean", w[1], g[1], tol(t));
        assertClose("layernorm rstd", w[2], g[2], tol(t));
        INDArray dg0 = rand(rng, t, c);
        INDArray db0 = rand(rng, t, c);
        INDArray[] wb = {view(t, n, c), copyOf(dg0), copyOf(db0)};
        INDArray[] gb = {view(t, n, c), copyOf(dg0), copyOf(db0)};
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
    @EnumSource(Type.class)
    void rope(Type type) {
        DataType t = type.dt;
        int b = 3;
        int seq = 7;
        int h = 5;
        int d = 6;
        INDArray cos = rand(rng, t, 9, d);
        INDArray sin = rand(rng, t, 9, d);
        INDArray x = rand(rng, t, (long) b * seq, (long) h * d);
        for (boolean inverse : new boolean[] {false, true}) {
            INDArray want = copyOf(x);
            INDArray got = copyOf(x);
            ref.rope(want, cos, sin, b, seq, h, d, inverse);
            fast.rope(got, cos, sin, b, seq, h, d, inverse);
            assertClose("rope inverse=" + inverse, want, got, tol(t));
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void attentionGqaCausalPadded(Type type) {
        DataType t = type.dt;
        // GQA 6 heads over 2 kv heads, odd sequence, one sample fully padded, one partly
        checkAttention(t, new AttentionShape(3, 13, 6, 2, 5, true, 0.37f, AttentionMask.validLength(13, 7, 0)));
        checkAttention(t, new AttentionShape(2, 9, 4, 4, 8, false, 0.25f, AttentionMask.validLength(9, 4)));
        checkAttention(t, AttentionShape.full(2, 11, 3, 7));
        checkAttention(t, AttentionShape.causal(1, 17, 4, 1, 6, AttentionMask.none()));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void attentionMidSequenceKeyMask(Type type) {
        DataType t = type.dt;
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
    @EnumSource(Type.class)
    void keyMaskOfRightPaddingIsBitIdenticalToValidLength(Type type) {
        DataType t = type.dt;
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
            INDArray q = rand(rng, t, rows, 24).muli(2);
            INDArray k = rand(rng, t, rows, 12).muli(2);
            INDArray v = rand(rng, t, rows, 12);
            INDArray dout = rand(rng, t, rows, 24);
            for (Kernels kern : new Kernels[] {ref, fast}) {
                INDArray[] a = attentionRun(kern, t, q, k, v, dout, byLength);
                INDArray[] m = attentionRun(kern, t, q, k, v, dout, byMask);
                String[] names = {"out", "probs", "dq", "dk", "dv"};
                for (int i = 0; i < a.length; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            a[i].dup().data().asDouble(),
                            m[i].dup().data().asDouble(),
                            kern.getClass().getSimpleName() + " " + names[i] + " causal=" + causal);
                }
            }
        }
    }

    private static INDArray[] attentionRun(
            Kernels kern, DataType t, INDArray q, INDArray k, INDArray v, INDArray dout, AttentionShape s) {
        INDArray out = view(t, q.shape());
        INDArray probs = view(t, s.batch(), s.heads(), s.seq(), s.seq());
        kern.attentionForward(out, probs, q, k, v, s);
        INDArray dq = view(t, q.shape());
        INDArray dk = view(t, k.shape());
        INDArray dv = view(t, v.shape());
        kern.attentionBackward(dq, dk, dv, dout, probs, q, k, v, s);
        return new INDArray[] {out, probs, dq, dk, dv};
    }

    private void checkAttention(DataType t, AttentionShape s) {
        long rows = (long) s.batch() * s.seq();
        INDArray q = rand(rng, t, rows, (long) s.heads() * s.headDim()).muli(2);
        INDArray k = rand(rng, t, rows, (long) s.kvHeads() * s.headDim()).muli(2);
        INDArray v = rand(rng, t, rows, (long) s.kvHeads() * s.headDim());
        INDArray dout = rand(rng, t, rows, (long) s.heads() * s.headDim());
        INDArray[] w = {view(t, rows, (long) s.heads() * s.headDim()), view(t, s.batch(), s.heads(), s.seq(), s.seq())};
        INDArray[] g = {view(t, rows, (long) s.heads() * s.headDim()), view(t, s.batch(), s.heads(), s.seq(), s.seq())};
        ref.attentionForward(w[0], w[1], q, k, v, s);
        fast.attentionForward(g[0], g[1], q, k, v, s);
        assertClose("attention out", w[0], g[0], tol(t));
        assertClose("attention probs", w[1], g[1], tol(t));
        INDArray noProbs = view(t, rows, (long) s.heads() * s.headDim());
        fast.attentionForward(noProbs, null, q, k, v, s);
        assertClose("attention out without probs", w[0], noProbs, tol(t));

        INDArray[] wb = {Fixtures.filled(q, 9), Fixtures.filled(k, 9), Fixtures.filled(v, 9)};
        INDArray[] gb = {Fixtures.filled(q, 9), Fixtures.filled(k, 9), Fixtures.filled(v, 9)};
        ref.attentionBackward(wb[0], wb[1], wb[2], dout, w[1], q, k, v, s);
        fast.attentionBackward(gb[0], gb[1], gb[2], dout, g[1], q, k, v, s);
        assertClose("attention dq", wb[0], gb[0], tol(t));
        assertClose("attention dk", wb[1], gb[1], tol(t));
        assertClose("attention dv", wb[2], gb[2], tol(t));
        INDArray[] rb = {Fixtures.filled(q, 9), Fixtures.filled(k, 9), Fixtures.filled(v, 9)};
        fast.attentionBackward(rb[0], rb[1], rb[2], dout, null, q, k, v, s);
        assertClose("attention dq recomputed", wb[0], rb[0], tol(t));
        assertClose("attention dk recomputed", wb[1], rb[1], tol(t));
        assertClose("attention dv recomputed", wb[2], rb[2], tol(t));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void attentionDecodeMatchesFullCausalRows(Type type) {
        DataType t = type.dt;
        int b = 2;
        int seq = 11;
        int cap = 16;
        int h = 4;
        int hkv = 2;
        int d = 6;
        AttentionShape full = AttentionShape.causal(b, seq, h, hkv, d, AttentionMask.none());
        INDArray q = rand(rng, t, (long) b * seq, (long) h * d);
        INDArray k = rand(rng, t, (long) b * seq, (long) hkv * d);
        INDArray v = rand(rng, t, (long) b * seq, (long) hkv * d);
        INDArray want = view(t, (long) b * seq, (long) h * d);
        ref.attentionForward(want, null, q, k, v, full);
        // cache holds the same keys at rows b*cap + j; decode the last 3 positions
        INDArray kc = rand(rng, t, (long) b * cap, (long) hkv * d);
        INDArray vc = rand(rng, t, (long) b * cap, (long) hkv * d);
        int past = 8;
        int n = seq - past;
        INDArray qNew = view(t, (long) b * n, (long) h * d);
        for (int s = 0; s < b; s++) {
            for (int j = 0; j < seq; j++) {
                kc.getRow((long) s * cap + j).assign(k.getRow((long) s * seq + j));
                vc.getRow((long) s * cap + j).assign(v.getRow((long) s * seq + j));
            }
            for (int i = 0; i < n; i++) {
                qNew.getRow((long) s * n + i).assign(q.getRow((long) s * seq + past + i));
            }
        }
        DecodeShape ds = DecodeShape.of(b, n, past, cap, h, hkv, d);
        for (Kernels kern : new Kernels[] {ref, fast}) {
            INDArray out = view(t, (long) b * n, (long) h * d);
            kern.attentionDecode(out, qNew, kc, vc, ds);
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < n; i++) {
                    assertClose(
                            kern.name() + " decode row " + s + "," + i,
                            want.getRow((long) s * seq + past + i),
                            out.getRow((long) s * n + i),
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
    @EnumSource(Type.class)
    void attentionDecodePerSamplePastAndSlot(Type type) {
        DataType t = type.dt;
        int h = 4;
        int hkv = 2;
        int d = 6;
        int cap = 14;
        int blocks = 4;
        int[] past = {0, 5, 10, 9};
        int[] slot = {2, 0, 3, 1};
        for (int n : new int[] {1, 3}) {
            int b = 3; // the sample in slot 1 is "finished": its block is not read
            INDArray kc = rand(rng, t, (long) blocks * cap, (long) hkv * d);
            INDArray vc = rand(rng, t, (long) blocks * cap, (long) hkv * d);
            INDArray qNew = rand(rng, t, (long) b * n, (long) h * d);
            INDArray[] want = new INDArray[b];
            for (int s = 0; s < b; s++) {
                int len = past[s] + n;
                INDArray qs = view(t, len, (long) h * d);
                INDArray ks = view(t, len, (long) hkv * d);
                INDArray vs = view(t, len, (long) hkv * d);
                for (int j = 0; j < len; j++) {
                    ks.getRow(j).assign(kc.getRow((long) slot[s] * cap + j));
                    vs.getRow(j).assign(vc.getRow((long) slot[s] * cap + j));
                }
                for (int i = 0; i < n; i++) {
                    qs.getRow(past[s] + i).assign(qNew.getRow((long) s * n + i));
                }
                want[s] = view(t, len, (long) h * d);
                ref.attentionForward(
                        want[s], null, qs, ks, vs, AttentionShape.causal(1, len, h, hkv, d, AttentionMask.none()));
            }
            DecodeShape ds = DecodeShape.perSample(
                    n, java.util.Arrays.copyOf(past, b), java.util.Arrays.copyOf(slot, b), cap, h, hkv, d);
            for (Kernels kern : new Kernels[] {ref, fast}) {
                INDArray out = view(t, (long) b * n, (long) h * d);
                kern.attentionDecode(out, qNew, kc, vc, ds);
                for (int s = 0; s < b; s++) {
                    for (int i = 0; i < n; i++) {
                        assertClose(
                                kern.name() + " n=" + n + " sample " + s + " row " + i,
                                want[s].getRow(past[s] + i),
                                out.getRow((long) s * n + i),
                                tol(t));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void attentionDecodeRejectsASlotOutsideTheCache(Type type) {
        INDArray kc = rand(rng, type.dt, 2L * 8, 4);
        INDArray q = rand(rng, type.dt, 1, 8);
        DecodeShape ds = DecodeShape.perSample(1, new int[] {3}, new int[] {2}, 8, 2, 1, 4);
        for (Kernels kern : new Kernels[] {ref, fast}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> kern.attentionDecode(view(type.dt, 1, 8), q, kc, kc, ds));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("3 blocks"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void embeddingsLossAndPatches(Type type) {
        DataType t = type.dt;
        INDArray table = rand(rng, t, 23, 9);
        int[] ids = {3, 0, 22, -1, 3, 7};
        INDArray want = rand(rng, t, 6, 9);
        INDArray got = copyOf(want);
        ref.embeddingForward(want, table, ids);
        fast.embeddingForward(got, table, ids);
        assertClose("embedding", want, got, tol(t));
        INDArray dt0 = rand(rng, t, 23, 9);
        INDArray wd = copyOf(dt0);
        INDArray gd = copyOf(dt0);
        INDArray dout = rand(rng, t, 6, 9);
        ref.embeddingBackward(wd, dout, ids);
        fast.embeddingBackward(gd, dout, ids);
        assertClose("embedding backward", wd, gd, tol(t));

        INDArray logits = rand(rng, t, 7, 301).muli(8);
        int[] targets = {5, -100, 300, 0, -100, 17, 150};
        INDArray wl = view(t, 7, 301);
        INDArray gl = view(t, 7, 301);
        double lw = ref.crossEntropy(wl, logits, targets, -100, 0.2f);
        double lg = fast.crossEntropy(gl, logits, targets, -100, 0.2f);
        assertClose("ce loss", lw, lg, tol(t));
        assertClose("ce dlogits", wl, gl, tol(t));

        INDArray images = rand(rng, t, 2, 3, 12, 8);
        INDArray wp = view(t, 2 * 3 * 2, 3 * 16);
        INDArray gp = view(t, 2 * 3 * 2, 3 * 16);
        ref.patchify(wp, images, 4);
        fast.patchify(gp, images, 4);
        assertClose("patchify", wp, gp, 0);
    }
}
