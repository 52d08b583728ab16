package io.share4v.backend.nd4j;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.ops.Checks;
import io.share4v.tensor.ops.DecodeShape;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.Parallel;
import io.share4v.tensor.ops.ScalarKernels;
import io.share4v.tensor.ops.Vec;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The host-CPU kernels, chosen by the kernel name {@code nd4j}, on host tensors (any
 * {@link io.share4v.tensor.HostStorage}: this backend's JavaCPP memory, the {@code java} backend's direct buffers): every
 * matrix product goes to OpenBLAS (through {@link Blas}, CBLAS on the tensors' own memory at their address, no
 * view copies), attention runs as per-(batch, head) GEMMs on strided head slices with the softmax done in place
 * in the probabilities buffer, and the memory-bound kernels are Java loops over buffer windows of that memory.
 * DOUBLE calls go to {@link ScalarKernels} where no BLAS routine applies. Scratch comes from a pool sized on first
 * use, so repeated calls do not allocate native memory. One instance per thread. No ND4J op runs here; ND4J is
 * only asked to be on its CPU backend, because it loads the OpenBLAS these kernels call and its arrays must be
 * host memory.
 */
public final class CpuBlasKernels implements Kernels {
    /** The class of ND4J's CPU backend (artifact nd4j-native), the one whose buffers are host memory. */
    static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    private static final int SLOT_SCORES = 0;
    private static final int SLOT_DSCORES = 1;

    private final Nd4jRuntime runtime;
    private final Scratch scratch = new Scratch(2 * Parallel.workers());
    private final ScalarKernels loops = new ScalarKernels();

    private CpuBlasKernels(Nd4jRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Kernels on the process's ND4J runtime, configured with the default thread settings on first use. Fails
     * unless ND4J runs on its CPU backend (see {@link #requireCpuBackend}).
     */
    public static CpuBlasKernels create() {
        requireCpuBackend(Nd4j.getBackend().getClass().getName());
        return new CpuBlasKernels(Nd4jRuntime.get());
    }

    /**
     * Throws unless {@code backendClass} (the class name of {@code Nd4j.getBackend()}) is ND4J's CPU backend. These
     * kernels hand the arrays' raw host pointers to CBLAS and loop over them in Java: with another backend on the
     * class path (the build's {@code -Pcuda} profile puts nd4j-cuda there) the buffers live on a device, and the
     * first call would read garbage or crash the JVM instead of failing with a message.
     */
    static void requireCpuBackend(String backendClass) {
        if (!CPU_BACKEND.equals(backendClass)) {
            throw new IllegalStateException("the nd4j kernels need ND4J's CPU backend (nd4j-native, " + CPU_BACKEND
                    + "), but ND4J loaded " + backendClass + "; build without the -Pcuda profile, or choose the "
                    + "scalar kernels");
        }
    }

    @Override
    public String name() {
        return "nd4j-cpu(" + runtime.describe() + ")";
    }

    /** Native bytes held by this instance's scratch pool (for memory tests and logs). */
    public long scratchBytes() {
        return scratch.bytes();
    }

    /** Native blocks this instance has allocated so far; stops growing once every call size has been seen. */
    public long scratchAllocations() {
        return scratch.allocations();
    }

    /** True when every non-null array is FLOAT (the fast paths); DOUBLE goes to the reference loops. */
    private static boolean floats(String op, Tensor... arrays) {
        return Checks.dtype(op, arrays) == DType.FLOAT;
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        String op = "gemm";
        Checks.GemmDims dims = Checks.gemm(op, c, a, transA, b, transB);
        Blas.gemm(
                transA,
                transB,
                (int) dims.m(),
                (int) dims.n(),
                (int) dims.k(),
                alpha,
                Blas.pointer(a),
                0,
                Blas.ld(op, "a", a),
                Blas.pointer(b),
                0,
                Blas.ld(op, "b", b),
                beta,
                Blas.pointer(c),
                0,
                Blas.ld(op, "c", c));
    }

    @Override
    public void linearForward(Tensor y, Tensor x, Tensor w, Tensor bias) {
        String op = "linearForward";
        Checks.LinearDims dims = Checks.linearForward(op, y, x, w, bias);
        long n = dims.n();
        long c = dims.c();
        long o = dims.o();
        double beta = 0;
        if (bias != null) {
            // y starts as the broadcast bias and the GEMM accumulates onto it: one pass over y instead of two
            if (y.dtype() == DType.FLOAT) {
                FloatLoops.broadcastRows(op, y, bias, (int) n, (int) o);
            } else {
                Vec vy = Vec.of(op, "y", y);
                Vec vb = Vec.of(op, "bias", bias);
                for (long r = 0; r < n; r++) {
                    for (long j = 0; j < o; j++) {
                        vy.set(r * o + j, vb.get(j));
                    }
                }
            }
            beta = 1;
        }
        Blas.gemm(
                false,
                true,
                (int) n,
                (int) o,
                (int) c,
                1.0,
                Blas.pointer(x),
                0,
                Blas.ld(op, "x", x),
                Blas.pointer(w),
                0,
                Blas.ld(op, "w", w),
                beta,
                Blas.pointer(y),
                0,
                (int) o);
    }

    @Override
    public void linearBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w) {
        String op = "linearBackward";
        Checks.LinearDims dims = Checks.linearBackward(op, dx, dw, dbias, dy, x, w);
        long n = dims.n();
        long c = dims.c();
        long o = dims.o();
        int lddy = Blas.ld(op, "dy", dy);
        if (dx != null) {
            Blas.gemm(
                    false,
                    false,
                    (int) n,
                    (int) c,
                    (int) o,
                    1.0,
                    Blas.pointer(dy),
                    0,
                    lddy,
                    Blas.pointer(w),
                    0,
                    Blas.ld(op, "w", w),
                    0.0,
                    Blas.pointer(dx),
                    0,
                    Blas.ld(op, "dx", dx));
        }
        if (dw != null) {
            Blas.gemm(
                    true,
                    false,
                    (int) o,
                    (int) c,
                    (int) n,
                    1.0,
                    Blas.pointer(dy),
                    0,
                    lddy,
                    Blas.pointer(x),
                    0,
                    Blas.ld(op, "x", x),
                    1.0,
                    Blas.pointer(dw),
                    0,
                    Blas.ld(op, "dw", dw));
        }
        if (dbias != null && dbias.dtype() == DType.FLOAT) {
            FloatLoops.columnSums(op, dbias, dy, (int) n, (int) o);
        } else if (dbias != null) {
            loops.linearBackward(null, null, dbias, dy, x, w); // DOUBLE: the reference's column sums
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        if (floats("add", out, a, b)) {
            Checks.add("add", out, a, b);
            FloatLoops.axpby("add", out, a, b, 1f);
            return;
        }
        loops.add(out, a, b);
    }

    @Override
    public void addInPlace(Tensor acc, Tensor x) {
        add(acc, acc, x);
    }

    @Override
    public void scale(Tensor out, Tensor x, double s) {
        if (floats("scale", out, x)) {
            Checks.sameLength("scale", out, "x", x);
            FloatLoops.axpby("scale", out, null, x, (float) s);
            return;
        }
        loops.scale(out, x, s);
    }

    @Override
    public void zero(Tensor x) {
        if (floats("zero", x)) {
            FloatLoops.zero(x);
            return;
        }
        loops.zero(x);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        if (floats("copy", dst, src)) {
            Checks.sameLength("copy", dst, "src", src);
            FloatLoops.copy(dst, src);
            return;
        }
        loops.copy(dst, src);
    }

    @Override
    public void activationForward(Tensor out, Tensor x, Activation f) {
        if (floats("activationForward", out, x)) {
            Checks.activationForward("activationForward", out, x);
            FloatLoops.activationForward("activationForward", out, x, f);
            return;
        }
        loops.activationForward(out, x, f);
    }

    @Override
    public void activationBackward(Tensor dx, Tensor dout, Tensor x, Activation f) {
        if (floats("activationBackward", dx, dout, x)) {
            Checks.activationBackward("activationBackward", dx, dout, x);
            FloatLoops.activationBackward("activationBackward", dx, dout, x, f);
            return;
        }
        loops.activationBackward(dx, dout, x, f);
    }

    @Override
    public void swigluForward(Tensor h, Tensor gate, Tensor up) {
        if (floats("swigluForward", h, gate, up)) {
            Checks.swigluForward("swigluForward", h, gate, up);
            FloatLoops.swigluForward("swigluForward", h, gate, up);
            return;
        }
        loops.swigluForward(h, gate, up);
    }

    @Override
    public void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        String op = "swigluBackward";
        if (floats(op, dgate, dup, dh, gate, up)) {
            Checks.swigluBackward(op, dgate, dup, dh, gate, up);
            FloatLoops.swigluBackward(op, dgate, dup, dh, gate, up);
            return;
        }
        loops.swigluBackward(dgate, dup, dh, gate, up);
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void layerNormForward(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor gamma, Tensor beta, float eps) {
        String op = "layerNormForward";
        if (floats(op, y, mean, rstd, x, gamma, beta)) {
            Checks.layerNormForward(op, y, mean, rstd, x, gamma, beta);
            int n = (int) x.size(0);
            int c = (int) x.size(1);
            FloatLoops.layerNormForward(op, y, mean, rstd, x, gamma, beta, eps, n, c);
            return;
        }
        loops.layerNormForward(y, mean, rstd, x, gamma, beta, eps);
    }

    @Override
    public void layerNormBackward(
            Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd, Tensor gamma) {
        String op = "layerNormBackward";
        if (floats(op, dx, dgamma, dbeta, dy, x, mean, rstd, gamma)) {
            Checks.layerNormBackward(op, dx, dgamma, dbeta, dy, x, mean, rstd, gamma);
            int n = (int) x.size(0);
            int c = (int) x.size(1);
            FloatLoops.layerNormBackward(op, dx, dgamma, dbeta, dy, x, mean, rstd, gamma, n, c);
            return;
        }
        loops.layerNormBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma);
    }

    @Override
    public void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor gamma, float eps) {
        String op = "rmsNormForward";
        if (floats(op, y, rstd, x, gamma)) {
            Checks.rmsNormForward(op, y, rstd, x, gamma);
            int n = (int) x.size(0);
            int c = (int) x.size(1);
            FloatLoops.rmsNormForward(op, y, rstd, x, gamma, eps, n, c);
            return;
        }
        loops.rmsNormForward(y, rstd, x, gamma, eps);
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dgamma, Tensor dy, Tensor x, Tensor rstd, Tensor gamma) {
        String op = "rmsNormBackward";
        if (floats(op, dx, dgamma, dy, x, rstd, gamma)) {
            Checks.rmsNormBackward(op, dx, dgamma, dy, x, rstd, gamma);
            int n = (int) x.size(0);
            int c = (int) x.size(1);
            FloatLoops.rmsNormBackward(op, dx, dgamma, dy, x, rstd, gamma, n, c);
            return;
        }
        loops.rmsNormBackward(dx, dgamma, dy, x, rstd, gamma);
    }

    // ---------------------------------------------------------------- attention

    @Override
    public void rope(Tensor x, Tensor cos, Tensor sin, int batch, int seq, int heads, int headDim, boolean inverse) {
        if (floats("rope", x, cos, sin)) {
            Checks.rope(x, cos, sin, batch, seq, heads, headDim);
            FloatLoops.rope("rope", x, cos, sin, batch, seq, heads, headDim, inverse);
            return;
        }
        loops.rope(x, cos, sin, batch, seq, heads, headDim, inverse);
    }

    @Override
    public void attentionForward(Tensor out, Tensor probs, Tensor q, Tensor k, Tensor v, AttentionShape s) {
        String op = "attentionForward";
        DType type = Checks.attentionForward(op, out, probs, q, k, v, s);
        int t = s.seq();
        int d = s.headDim();
        int qw = s.queryWidth();
        int kw = s.kvWidth();
        int group = s.group();
        long tt = (long) t * t;
        boolean[] keyFlags = s.mask().keyFlags(); // null: no single key hidden
        inHeadParallel(s.batch() * s.kvHeads(), (chunk, from, to) -> {
            // each chunk owns its pointer handles (Blas moves their positions) and its scratch slot
            Pointer pq = Blas.pointer(q);
            Pointer pk = Blas.pointer(k);
            Pointer pv = Blas.pointer(v);
            Pointer po = Blas.pointer(out);
            Tensor tp = probs != null ? probs.flat() : scratch.get(slot(chunk, SLOT_SCORES), type, tt);
            Pointer pp = Blas.pointer(tp);
            for (int bg = from; bg < to; bg++) {
                int b = bg / s.kvHeads();
                int g = bg % s.kvHeads();
                long kOff = (long) b * t * kw + (long) g * d;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    long qOff = (long) b * t * qw + (long) h * d;
                    long pOff = probs != null ? ((long) b * s.heads() + h) * tt : 0;
                    probabilities(tp, pp, pOff, pq, qOff, pk, kOff, s, b, keyFlags);
                    // out_bh[T,D] = P[T,T] @ V_bg[T,D]
                    Blas.gemm(false, false, t, d, t, 1.0, pp, pOff, t, pv, kOff, kw, 0.0, po, qOff, qw);
                }
            }
        });
    }

    @Override
    public void attentionBackward(
            Tensor dq,
            Tensor dk,
            Tensor dv,
            Tensor dout,
            Tensor probs,
            Tensor q,
            Tensor k,
            Tensor v,
            AttentionShape s) {
        String op = "attentionBackward";
        DType type = Checks.attentionBackward(op, dq, dk, dv, dout, probs, q, k, v, s);
        int t = s.seq();
        int d = s.headDim();
        int qw = s.queryWidth();
        int kw = s.kvWidth();
        int group = s.group();
        long tt = (long) t * t;
        boolean[] keyFlags = s.mask().keyFlags(); // null: no single key hidden
        if (dk != null) {
            zero(dk);
        }
        if (dv != null) {
            zero(dv);
        }
        // a chunk owns whole (batch, kv head) groups, so its dK/dV accumulations never race with another chunk's
        inHeadParallel(s.batch() * s.kvHeads(), (chunk, from, to) -> {
            Pointer pq = Blas.pointer(q);
            Pointer pk = Blas.pointer(k);
            Pointer pv = Blas.pointer(v);
            Pointer pdo = Blas.pointer(dout);
            Pointer pdq = dq == null ? null : Blas.pointer(dq);
            Pointer pdk = dk == null ? null : Blas.pointer(dk);
            Pointer pdv = dv == null ? null : Blas.pointer(dv);
            Tensor tp = probs != null ? probs.flat() : scratch.get(slot(chunk, SLOT_SCORES), type, tt);
            Tensor tds = scratch.get(slot(chunk, SLOT_DSCORES), type, tt);
            Pointer pp = Blas.pointer(tp);
            Pointer pds = Blas.pointer(tds);
            for (int bg = from; bg < to; bg++) {
                int b = bg / s.kvHeads();
                int g = bg % s.kvHeads();
                int valid = s.mask().keyEnd(b, t);
                long kOff = (long) b * t * kw + (long) g * d;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    long qOff = (long) b * t * qw + (long) h * d;
                    long pOff = probs != null ? ((long) b * s.heads() + h) * tt : 0;
                    if (probs == null) {
                        probabilities(tp, pp, pOff, pq, qOff, pk, kOff, s, b, keyFlags);
                    }
                    // dP[T,T] = dO_bh @ V_bg^T
                    Blas.gemm(false, true, t, t, d, 1.0, pdo, qOff, qw, pv, kOff, kw, 0.0, pds, 0, t);
                    if (pdv != null) { // dV_bg += P^T @ dO_bh (heads of a group share V)
                        Blas.gemm(true, false, t, d, t, 1.0, pp, pOff, t, pdo, qOff, qw, 1.0, pdv, kOff, kw);
                    }
                    softmaxBackward(tds, tp, pOff, t, t, s.scale(), 0, valid, s.causal(), keyFlags, b * t);
                    if (pdq != null) { // dQ_bh = dS @ K_bg
                        Blas.gemm(false, false, t, d, t, 1.0, pds, 0, t, pk, kOff, kw, 0.0, pdq, qOff, qw);
                    }
                    if (pdk != null) { // dK_bg += dS^T @ Q_bh
                        Blas.gemm(true, false, t, d, t, 1.0, pds, 0, t, pq, qOff, qw, 1.0, pdk, kOff, kw);
                    }
                }
            }
        });
    }

    @Override
    public void attentionDecode(Tensor out, Tensor q, Tensor kCache, Tensor vCache, DecodeShape s) {
        String op = "attentionDecode";
        DType type = Checks.attentionDecode(op, out, q, kCache, vCache, s);
        int n = s.newTokens();
        int d = s.headDim();
        int qw = s.queryWidth();
        int kw = s.kvWidth();
        int group = s.group();
        long nk = (long) n * s.maxKeys();
        inHeadParallel(s.batch() * s.kvHeads(), (chunk, from, to) -> {
            Pointer pq = Blas.pointer(q);
            Pointer pk = Blas.pointer(kCache);
            Pointer pv = Blas.pointer(vCache);
            Pointer po = Blas.pointer(out);
            Tensor ts = scratch.get(slot(chunk, SLOT_SCORES), type, nk);
            Pointer ps = Blas.pointer(ts);
            for (int bg = from; bg < to; bg++) {
                int b = bg / s.kvHeads();
                int g = bg % s.kvHeads();
                int keys = s.keys(b);
                long kOff = (long) s.slot(b) * s.capacity() * kw + (long) g * d;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    long qOff = (long) b * n * qw + (long) h * d;
                    Blas.gemm(false, true, n, keys, d, s.scale(), pq, qOff, qw, pk, kOff, kw, 0.0, ps, 0, keys);
                    softmax(ts, 0, n, s.past(b), keys, keys, true, null, 0);
                    Blas.gemm(false, false, n, d, keys, 1.0, ps, 0, keys, pv, kOff, kw, 0.0, po, qOff, qw);
                }
            }
        });
    }

    /**
     * The attention probabilities of query head slice {@code Q_bh} (at qOff) over key head slice {@code K_bg} (at
     * kOff) of sample b: {@code P[T,T] = masked softmax(scale * Q_bh @ K_bg^T)}, written at pOff of tp (whose pointer is pp). The scores are
     * computed where the probabilities will live, so the softmax runs in place.
     */
    private static void probabilities(
            Tensor tp,
            Pointer pp,
            long pOff,
            Pointer pq,
            long qOff,
            Pointer pk,
            long kOff,
            AttentionShape s,
            int b,
            boolean[] keyFlags) {
        int t = s.seq();
        Blas.gemm(
                false,
                true,
                t,
                t,
                s.headDim(),
                s.scale(),
                pq,
                qOff,
                s.queryWidth(),
                pk,
                kOff,
                s.kvWidth(),
                0.0,
                pp,
                pOff,
                t);
        softmax(tp, pOff, t, 0, t, s.mask().keyEnd(b, t), s.causal(), keyFlags, b * t);
    }

    private static int slot(int chunk, int which) {
        return chunk * 2 + which;
    }

    /**
     * Runs per-head work over the cores with single-threaded BLAS: a head's GEMMs ([T,D] by [D,T]) are too small
     * for OpenBLAS's own threads to pay off, and its threads would compete with ours on a small machine.
     */
    private void inHeadParallel(int groups, Parallel.Chunk body) {
        if (runtime.blasThreads() == 1 || Parallel.workers() == 1) {
            body.run(0, 0, groups);
            return;
        }
        Nd4jRuntime.setBlasThreads(1);
        try {
            Parallel.chunks(groups, 1, body);
        } finally {
            Nd4jRuntime.setBlasThreads(runtime.blasThreads());
        }
    }

    /** {@link #softmaxInPlace} on the {@code [rows, cols]} block at element {@code off} of {@code p}. */
    private static void softmax(
            Tensor p,
            long off,
            int rows,
            int first,
            int cols,
            int valid,
            boolean causal,
            boolean[] keyValid,
            int keyOff) {
        Tensor block = p.slice(off, (long) rows * cols);
        if (block.dtype() == DType.FLOAT) {
            FloatBuffer fb = FloatLoops.buf("attention", "scores", block);
            FloatLoops.softmaxRows(fb, 0, rows, first, cols, valid, causal, keyValid, keyOff);
        } else {
            softmaxInPlace(Vec.of("attention", "scores", block), rows, first, cols, valid, causal, keyValid, keyOff);
        }
    }

    /** {@link #softmaxBackwardInPlace} on the first {@code [rows, cols]} of {@code dp} and that block of p at pOff. */
    private static void softmaxBackward(
            Tensor dp,
            Tensor p,
            long pOff,
            int rows,
            int cols,
            double scale,
            int first,
            int valid,
            boolean causal,
            boolean[] keyValid,
            int keyOff) {
        long n = (long) rows * cols;
        Tensor dBlock = dp.slice(0, n);
        Tensor pBlock = p.slice(pOff, n);
        if (dBlock.dtype() == DType.FLOAT) {
            FloatBuffer bd = FloatLoops.buf("attentionBackward", "dscores", dBlock);
            FloatBuffer bp = FloatLoops.buf("attentionBackward", "probs", pBlock);
            FloatLoops.softmaxBackwardRows(
                    bd, 0, bp, 0, rows, cols, (float) scale, first, valid, causal, keyValid, keyOff);
        } else {
            softmaxBackwardInPlace(
                    Vec.of("attentionBackward", "dscores", dBlock),
                    Vec.of("attentionBackward", "probs", pBlock),
                    rows,
                    cols,
                    scale,
                    first,
                    valid,
                    causal,
                    keyValid,
                    keyOff);
        }
    }

    /**
     * Row softmax of a {@code [rows, cols]} score block in place; row r is query position {@code first + r}.
     * Keys at or beyond {@code valid}, (causal) after the query, or with {@code keyValid[keyOff + j] == false}
     * (keyValid may be null) get 0; a row with no visible key is uniform over all cols (HF's dtype-min mask),
     * see {@link Kernels#attentionBackward}.
     */
    private static void softmaxInPlace(
            Vec p, int rows, int first, int cols, int valid, boolean causal, boolean[] keyValid, int keyOff) {
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            int last = Math.min(valid, causal ? first + r + 1 : cols);
            double max = Double.NEGATIVE_INFINITY;
            boolean any = false;
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    max = Math.max(max, p.get(base + j));
                    any = true;
                }
            }
            if (!any) {
                for (int j = 0; j < cols; j++) {
                    p.set(base + j, 1.0 / cols);
                }
                continue;
            }
            double sum = 0;
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    double e = Math.exp(p.get(base + j) - max);
                    p.set(base + j, e);
                    sum += e;
                } else {
                    p.set(base + j, 0.0);
                }
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

    /** dS = P * (dP - rowsum(P * dP)) * scale, in place over dP; masked keys and rows with no visible key get 0. */
    private static void softmaxBackwardInPlace(
            Vec dp,
            Vec p,
            int rows,
            int cols,
            double scale,
            int first,
            int valid,
            boolean causal,
            boolean[] keyValid,
            int keyOff) {
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            int last = Math.min(valid, causal ? first + r + 1 : cols);
            boolean any = false;
            double dot = 0;
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    dot += p.get(base + j) * dp.get(base + j);
                    any = true;
                }
            }
            if (!any) {
                for (int j = 0; j < cols; j++) {
                    dp.set(base + j, 0.0);
                }
                continue;
            }
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    dp.set(base + j, p.get(base + j) * (dp.get(base + j) - dot) * scale);
                } else {
                    dp.set(base + j, 0.0);
                }
            }
            for (int j = last; j < cols; j++) {
                dp.set(base + j, 0.0);
            }
        }
    }

    // ---------------------------------------------------------------- embeddings and loss

    @Override
    public void embeddingForward(Tensor out, Tensor table, int[] ids) {
        String op = "embeddingForward";
        if (floats(op, out, table)) {
            Checks.embedding(op, "table", table, "out", out, ids);
            FloatLoops.embeddingForward(out, table, ids, table.size(1));
            return;
        }
        loops.embeddingForward(out, table, ids);
    }

    @Override
    public void embeddingBackward(Tensor dtable, Tensor dout, int[] ids) {
        loops.embeddingBackward(dtable, dout, ids);
    }

    @Override
    public double crossEntropy(Tensor dlogits, Tensor logits, int[] targets, int ignoreIndex, float gradScale) {
        String op = "crossEntropy";
        if (floats(op, dlogits, logits)) {
            Checks.crossEntropy(op, dlogits, logits, targets, ignoreIndex);
            int n = (int) logits.size(0);
            int v = (int) logits.size(1);
            return FloatLoops.crossEntropy(op, dlogits, logits, targets, ignoreIndex, gradScale, n, v);
        }
        return loops.crossEntropy(dlogits, logits, targets, ignoreIndex, gradScale);
    }

    // ---------------------------------------------------------------- vision

    @Override
    public void patchify(Tensor patches, Tensor images, int patchSize) {
        loops.patchify(patches, images, patchSize);
    }

    @Override
    public void patchifyBackward(Tensor dimages, Tensor dpatches, int patchSize) {
        loops.patchifyBackward(dimages, dpatches, patchSize); // a permutation: not worth a vectorised copy
    }
}
