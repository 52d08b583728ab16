package io.share4v.tensor.ops;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CPU kernels: every matrix product goes to OpenBLAS (through {@link Blas}, on the arrays' own memory,
 * no view copies), attention runs as per-(batch, head) GEMMs on strided head slices with the softmax done in
 * place in the probabilities buffer, and the memory-bound kernels are loops over the off-heap buffers. Scratch
 * comes from a pool sized on first use, so repeated calls do not allocate native memory. One instance per
 * thread.
 */
public final class Nd4jKernels implements Kernels {
    private static final int SLOT_SCORES = 0;
    private static final int SLOT_DSCORES = 1;

    private final Nd4jRuntime runtime;
    private final Scratch scratch = new Scratch(2);
    private final ScalarKernels loops = new ScalarKernels();

    private Nd4jKernels(Nd4jRuntime runtime) {
        this.runtime = runtime;
    }

    /** Kernels on the process's ND4J runtime, configured with the default thread settings on first use. */
    public static Nd4jKernels create() {
        return new Nd4jKernels(Nd4jRuntime.get());
    }

    @Override
    public String name() {
        return "nd4j-cpu(" + runtime.describe() + ")";
    }

    /** Native bytes held by this instance's scratch pool (for memory tests and logs). */
    public long scratchBytes() {
        return scratch.bytes();
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(INDArray c, INDArray a, boolean transA, INDArray b, boolean transB, float alpha, float beta) {
        String op = "gemm";
        Checks.dtype(op, c, a, b);
        int lda = Blas.ld(op, "a", a);
        int ldb = Blas.ld(op, "b", b);
        int ldc = Blas.ld(op, "c", c);
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        long n = transB ? b.size(0) : b.size(1);
        if (k != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: op(a) is " + m + "x" + k + ", op(b) is "
                    + kb + "x" + n);
        }
        Checks.shape(op, "c", c, m, n);
        Blas.gemm(transA, transB, (int) m, (int) n, (int) k, alpha, Blas.pointer(a), 0, lda, Blas.pointer(b), 0, ldb,
                beta, Blas.pointer(c), 0, ldc);
    }

    @Override
    public void linearForward(INDArray y, INDArray x, INDArray w, INDArray bias) {
        String op = "linearForward";
        Checks.dtype(op, y, x, w, bias);
        Checks.rank2(op, "x", x);
        Checks.rank2(op, "w", w);
        long n = x.size(0);
        long c = x.size(1);
        long o = w.size(0);
        Checks.shape(op, "w", w, o, c);
        Checks.shape(op, "y", y, n, o);
        Checks.length(op, "bias", bias, o);
        Checks.contiguous(op, "y", y);
        double beta = 0;
        if (bias != null) {
            // y starts as the broadcast bias and the GEMM accumulates onto it: one pass over y instead of two
            Vec vy = Vec.of(op, "y", y);
            Vec vb = Vec.of(op, "bias", bias);
            for (long r = 0; r < n; r++) {
                for (long j = 0; j < o; j++) {
                    vy.set(r * o + j, vb.get(j));
                }
            }
            beta = 1;
        }
        Blas.gemm(false, true, (int) n, (int) o, (int) c, 1.0, Blas.pointer(x), 0, Blas.ld(op, "x", x),
                Blas.pointer(w), 0, Blas.ld(op, "w", w), beta, Blas.pointer(y), 0, (int) o);
    }

    @Override
    public void linearBackward(INDArray dx, INDArray dw, INDArray dbias, INDArray dy, INDArray x, INDArray w) {
        String op = "linearBackward";
        Checks.dtype(op, dx, dw, dbias, dy, x, w);
        long n = dy.size(0);
        long o = dy.size(1);
        long c = w.size(1);
        Checks.shape(op, "w", w, o, c);
        Checks.shape(op, "x", x, n, c);
        Checks.shape(op, "dx", dx, n, c);
        Checks.shape(op, "dw", dw, o, c);
        Checks.length(op, "dbias", dbias, o);
        int lddy = Blas.ld(op, "dy", dy);
        if (dx != null) {
            Blas.gemm(false, false, (int) n, (int) c, (int) o, 1.0, Blas.pointer(dy), 0, lddy,
                    Blas.pointer(w), 0, Blas.ld(op, "w", w), 0.0, Blas.pointer(dx), 0, Blas.ld(op, "dx", dx));
        }
        if (dw != null) {
            Blas.gemm(true, false, (int) o, (int) c, (int) n, 1.0, Blas.pointer(dy), 0, lddy,
                    Blas.pointer(x), 0, Blas.ld(op, "x", x), 1.0, Blas.pointer(dw), 0, Blas.ld(op, "dw", dw));
        }
        if (dbias != null) {
            Vec vdy = Vec.of(op, "dy", dy);
            Vec vdb = Vec.of(op, "dbias", dbias);
            for (long j = 0; j < o; j++) {
                double sum = 0;
                for (long r = 0; r < n; r++) {
                    sum += vdy.get(r * o + j);
                }
                vdb.add(j, sum);
            }
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void add(INDArray out, INDArray a, INDArray b) {
        loops.add(out, a, b);
    }

    @Override
    public void addInPlace(INDArray acc, INDArray x) {
        loops.addInPlace(acc, x);
    }

    @Override
    public void scale(INDArray out, INDArray x, float s) {
        loops.scale(out, x, s);
    }

    @Override
    public void zero(INDArray x) {
        loops.zero(x);
    }

    @Override
    public void copy(INDArray dst, INDArray src) {
        loops.copy(dst, src);
    }

    @Override
    public void activationForward(INDArray out, INDArray x, Activation f) {
        loops.activationForward(out, x, f);
    }

    @Override
    public void activationBackward(INDArray dx, INDArray dout, INDArray x, Activation f) {
        loops.activationBackward(dx, dout, x, f);
    }

    @Override
    public void swigluForward(INDArray h, INDArray gate, INDArray up) {
        loops.swigluForward(h, gate, up);
    }

    @Override
    public void swigluBackward(INDArray dgate, INDArray dup, INDArray dh, INDArray gate, INDArray up) {
        loops.swigluBackward(dgate, dup, dh, gate, up);
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void layerNormForward(INDArray y, INDArray mean, INDArray rstd, INDArray x, INDArray gamma, INDArray beta,
                                 float eps) {
        loops.layerNormForward(y, mean, rstd, x, gamma, beta, eps);
    }

    @Override
    public void layerNormBackward(INDArray dx, INDArray dgamma, INDArray dbeta, INDArray dy, INDArray x,
                                  INDArray mean, INDArray rstd, INDArray gamma) {
        loops.layerNormBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma);
    }

    @Override
    public void rmsNormForward(INDArray y, INDArray rstd, INDArray x, INDArray gamma, float eps) {
        loops.rmsNormForward(y, rstd, x, gamma, eps);
    }

    @Override
    public void rmsNormBackward(INDArray dx, INDArray dgamma, INDArray dy, INDArray x, INDArray rstd, INDArray gamma) {
        loops.rmsNormBackward(dx, dgamma, dy, x, rstd, gamma);
    }

    // ---------------------------------------------------------------- attention

    @Override
    public void rope(INDArray x, INDArray cos, INDArray sin, int batch, int seq, int heads, int headDim, boolean inverse) {
        loops.rope(x, cos, sin, batch, seq, heads, headDim, inverse);
    }

    @Override
    public void attentionForward(INDArray out, INDArray probs, INDArray q, INDArray k, INDArray v, AttentionShape s) {
        String op = "attentionForward";
        DataType type = Checks.dtype(op, out, probs, q, k, v);
        Attn.check(op, out, probs, q, k, v, s);
        for (INDArray a : new INDArray[] {out, probs, q, k, v}) {
            Checks.contiguous(op, "out/probs/q/k/v", a);
        }
        int t = s.seq();
        int d = s.headDim();
        int qw = s.heads() * d;
        int kw = s.kvHeads() * d;
        int group = s.heads() / s.kvHeads();
        long tt = (long) t * t;
        Pointer pq = Blas.pointer(q);
        Pointer pk = Blas.pointer(k);
        Pointer pv = Blas.pointer(v);
        Pointer po = Blas.pointer(out);
        Pointer pp = probs != null ? Blas.pointer(probs) : scratch.get(SLOT_SCORES, type, tt);
        for (int b = 0; b < s.batch(); b++) {
            int valid = s.validLength() == null ? t : s.validLength()[b];
            for (int h = 0; h < s.heads(); h++) {
                int g = h / group;
                long qOff = (long) b * t * qw + (long) h * d;
                long kOff = (long) b * t * kw + (long) g * d;
                long pOff = probs != null ? ((long) b * s.heads() + h) * tt : 0;
                // scores[T,T] = scale * Q_bh[T,D] @ K_bg[T,D]^T, written where the probabilities will live
                Blas.gemm(false, true, t, t, d, s.scale(), pq, qOff, qw, pk, kOff, kw, 0.0, pp, pOff, t);
                softmaxInPlace(Vec.of(pp, pOff, tt), t, 0, t, valid, s.causal());
                // out_bh[T,D] = P[T,T] @ V_bg[T,D]
                Blas.gemm(false, false, t, d, t, 1.0, pp, pOff, t, pv, kOff, kw, 0.0, po, qOff, qw);
            }
        }
    }

    @Override
    public void attentionBackward(INDArray dq, INDArray dk, INDArray dv, INDArray dout, INDArray probs, INDArray q,
                                  INDArray k, INDArray v, AttentionShape s) {
        String op = "attentionBackward";
        DataType type = Checks.dtype(op, dq, dk, dv, dout, probs, q, k, v);
        Attn.check(op, dout, probs, q, k, v, s);
        Checks.sameShape(op, "dq", dq, "q", q);
        Checks.sameShape(op, "dk", dk, "k", k);
        Checks.sameShape(op, "dv", dv, "v", v);
        for (INDArray a : new INDArray[] {dq, dk, dv, dout, probs, q, k, v}) {
            Checks.contiguous(op, "dq/dk/dv/dout/probs/q/k/v", a);
        }
        int t = s.seq();
        int d = s.headDim();
        int qw = s.heads() * d;
        int kw = s.kvHeads() * d;
        int group = s.heads() / s.kvHeads();
        long tt = (long) t * t;
        if (dk != null) {
            zero(dk);
        }
        if (dv != null) {
            zero(dv);
        }
        Pointer pq = Blas.pointer(q);
        Pointer pk = Blas.pointer(k);
        Pointer pv = Blas.pointer(v);
        Pointer pdo = Blas.pointer(dout);
        Pointer pdq = dq == null ? null : Blas.pointer(dq);
        Pointer pdk = dk == null ? null : Blas.pointer(dk);
        Pointer pdv = dv == null ? null : Blas.pointer(dv);
        Pointer pp = probs != null ? Blas.pointer(probs) : scratch.get(SLOT_SCORES, type, tt);
        Pointer pds = scratch.get(SLOT_DSCORES, type, tt);
        for (int b = 0; b < s.batch(); b++) {
            int valid = s.validLength() == null ? t : s.validLength()[b];
            for (int h = 0; h < s.heads(); h++) {
                int g = h / group;
                long qOff = (long) b * t * qw + (long) h * d;
                long kOff = (long) b * t * kw + (long) g * d;
                long pOff = probs != null ? ((long) b * s.heads() + h) * tt : 0;
                if (probs == null) {
                    Blas.gemm(false, true, t, t, d, s.scale(), pq, qOff, qw, pk, kOff, kw, 0.0, pp, pOff, t);
                    softmaxInPlace(Vec.of(pp, pOff, tt), t, 0, t, valid, s.causal());
                }
                // dP[T,T] = dO_bh @ V_bg^T
                Blas.gemm(false, true, t, t, d, 1.0, pdo, qOff, qw, pv, kOff, kw, 0.0, pds, 0, t);
                if (pdv != null) { // dV_bg += P^T @ dO_bh (heads of a group share V)
                    Blas.gemm(true, false, t, d, t, 1.0, pp, pOff, t, pdo, qOff, qw, 1.0, pdv, kOff, kw);
                }
                softmaxBackwardInPlace(Vec.of(pds, 0, tt), Vec.of(pp, pOff, tt), t, t, s.scale(),
                        0, valid, s.causal());
                if (pdq != null) { // dQ_bh = dS @ K_bg
                    Blas.gemm(false, false, t, d, t, 1.0, pds, 0, t, pk, kOff, kw, 0.0, pdq, qOff, qw);
                }
                if (pdk != null) { // dK_bg += dS^T @ Q_bh
                    Blas.gemm(true, false, t, d, t, 1.0, pds, 0, t, pq, qOff, qw, 1.0, pdk, kOff, kw);
                }
            }
        }
    }

    @Override
    public void attentionDecode(INDArray out, INDArray q, INDArray kCache, INDArray vCache, DecodeShape s) {
        String op = "attentionDecode";
        DataType type = Checks.dtype(op, out, q, kCache, vCache);
        Attn.checkDecode(op, out, q, kCache, vCache, s);
        for (INDArray a : new INDArray[] {out, q, kCache, vCache}) {
            Checks.contiguous(op, "out/q/kCache/vCache", a);
        }
        int n = s.newTokens();
        int keys = s.keys();
        int d = s.headDim();
        int qw = s.heads() * d;
        int kw = s.kvHeads() * d;
        int group = s.heads() / s.kvHeads();
        long nk = (long) n * keys;
        Pointer pq = Blas.pointer(q);
        Pointer pk = Blas.pointer(kCache);
        Pointer pv = Blas.pointer(vCache);
        Pointer po = Blas.pointer(out);
        Pointer ps = scratch.get(SLOT_SCORES, type, nk);
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                int g = h / group;
                long qOff = (long) b * n * qw + (long) h * d;
                long kOff = (long) b * s.capacity() * kw + (long) g * d;
                Blas.gemm(false, true, n, keys, d, s.scale(), pq, qOff, qw, pk, kOff, kw, 0.0, ps, 0, keys);
                softmaxInPlace(Vec.of(ps, 0, nk), n, s.past(), keys, keys, true);
                Blas.gemm(false, false, n, d, keys, 1.0, ps, 0, keys, pv, kOff, kw, 0.0, po, qOff, qw);
            }
        }
    }

    /**
     * Row softmax of a {@code [rows, cols]} score block in place; row r is query position {@code first + r}.
     * Keys at or beyond {@code valid}, or (causal) after the query, get 0; a row with no visible key is
     * uniform over all cols (HF's dtype-min mask), see {@link Kernels#attentionBackward}.
     */
    private static void softmaxInPlace(Vec p, int rows, int first, int cols, int valid, boolean causal) {
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            int last = Math.min(valid, causal ? first + r + 1 : cols);
            if (last <= 0) {
                for (int j = 0; j < cols; j++) {
                    p.set(base + j, 1.0 / cols);
                }
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < last; j++) {
                max = Math.max(max, p.get(base + j));
            }
            double sum = 0;
            for (int j = 0; j < last; j++) {
                double e = Math.exp(p.get(base + j) - max);
                p.set(base + j, e);
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int j = 0; j < last; j++) {
                p.set(base + j, p.get(base + j) * inv);
            }
            for (int j = last; j < cols; j++) {
                p.set(base + j, 0.0);
            }
        }
    }

    /** dS = P * (dP - rowsum(P * dP)) * scale, in place over dP; rows with no visible key get 0. */
    private static void softmaxBackwardInPlace(Vec dp, Vec p, int rows, int cols, double scale, int first, int valid,
                                               boolean causal) {
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            int last = Math.min(valid, causal ? first + r + 1 : cols);
            if (last <= 0) {
                for (int j = 0; j < cols; j++) {
                    dp.set(base + j, 0.0);
                }
                continue;
            }
            double dot = 0;
            for (int j = 0; j < last; j++) {
                dot += p.get(base + j) * dp.get(base + j);
            }
            for (int j = 0; j < last; j++) {
                dp.set(base + j, p.get(base + j) * (dp.get(base + j) - dot) * scale);
            }
            for (int j = last; j < cols; j++) {
                dp.set(base + j, 0.0);
            }
        }
    }

    // ---------------------------------------------------------------- embeddings and loss

    @Override
    public void embeddingForward(INDArray out, INDArray table, int[] ids) {
        loops.embeddingForward(out, table, ids);
    }

    @Override
    public void embeddingBackward(INDArray dtable, INDArray dout, int[] ids) {
        loops.embeddingBackward(dtable, dout, ids);
    }

    @Override
    public double crossEntropy(INDArray dlogits, INDArray logits, int[] targets, int ignoreIndex, float gradScale) {
        return loops.crossEntropy(dlogits, logits, targets, ignoreIndex, gradScale);
    }

    // ---------------------------------------------------------------- vision

    @Override
    public void patchify(INDArray patches, INDArray images, int patchSize) {
        loops.patchify(patches, images, patchSize);
    }
}
