package io.share4v.tensor.ops;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The host-CPU kernels, chosen by the kernel name {@code nd4j}: every matrix product goes to OpenBLAS (through
 * {@link Blas}, CBLAS on the arrays' own memory, no view copies), attention runs as per-(batch, head) GEMMs on
 * strided head slices with the softmax done in place in the probabilities buffer, and the memory-bound kernels
 * are Java loops over the off-heap buffers. Scratch comes from a pool sized on first use, so repeated calls do not
 * allocate native memory. One instance per thread. ND4J provides only the arrays (their off-heap host buffers)
 * and the OpenBLAS binding; no ND4J op runs in a hot path, which is why this needs ND4J's CPU backend and
 * nothing else of it.
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
    private static boolean floats(String op, INDArray... arrays) {
        return Checks.dtype(op, arrays) == DataType.FLOAT;
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(INDArray c, INDArray a, boolean transA, INDArray b, boolean transB, float alpha, float beta) {
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
    public void linearForward(INDArray y, INDArray x, INDArray w, INDArray bias) {
        String op = "linearForward";
        Checks.LinearDims dims = Checks.linearForward(op, y, x, w, bias);
        long n = dims.n();
        long c = dims.c();
        long o = dims.o();
        Checks.contiguous(op, "y", y);
        double beta = 0;
        if (bias != null) {
            // y starts as the broadcast bias and the GEMM accumulates onto it: one pass over y instead of two
            if (y.dataType() == DataType.FLOAT) {
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
    public void linearBackward(INDArray dx, INDArray dw, INDArray dbias, INDArray dy, INDArray x, INDArray w) {
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
        if (dbias != null && dbias.dataType() == DataType.FLOAT) {
            FloatLoops.columnSums(op, dbias, dy, (int) n, (int) o);
        } else if (dbias != null) {
            loops.linearBackward(null, null, dbias, dy, x, w); // DOUBLE: the reference's column sums
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void add(INDArray out, INDArray a, INDArray b) {
        if (floats("add", out, a, b)) {
            Checks.add("add", out, a, b);
            FloatLoops.axpby("add", out, a, b, 1f);
            return;
        }
        loops.add(out, a, b);
    }

    @Override
    public void addInPlace(INDArray acc, INDArray x) {
        add(acc, acc, x);
    }

    @Override
    public void scale(INDArray out, INDArray x, float s) {
        if (floats("scale", out, x)) {
            Checks.sameLength("scale", out, "x", x);
            FloatLoops.axpby("scale", out, null, x, s);
            return;
        }
        loops.scale(out, x, s);
    }

    @Override
    public void zero(INDArray x) {
        if (floats("zero", x)) {
            FloatLoops.zero(x);
            return;
        }
        loops.zero(x);
    }

    @Override
    public void copy(INDArray dst, INDArray src) {
        if (floats("copy", dst, src)) {
            Checks.sameLength("copy", dst, "src", src);
            FloatLoops.copy(dst, src);
            return;
        }
        loops.copy(dst, src);
    }

    @Override
    public void activationForward(INDArray out, INDArray x, Activation f) {
        if (floats("activationForward", out, x)) {
            Checks.activationForward("activationForward", out, x);
            FloatLoops.activationForward("activationForward", out, x, f);
            return;
        }
        loops.activationForward(out, x, f);
    }

    @Override
    public void activationBackward(INDArray dx, INDArray dout, INDArray x, Activation f) {
        if (floats("activationBackward", dx, dout, x)) {
            Checks.activationBackward("activationBackward", dx, dout, x);
            FloatLoops.activationBackward("activationBackward", dx, dout, x, f);
            return;
        }
        loops.activationBackward(dx, dout, x, f);
    }

    @Override
    public void swigluForward(INDArray h, INDArray gate, INDArray up) {
        if (floats("swigluForward", h, gate, up)) {
            Checks.swigluForward("swigluForward", h, gate, up);
            FloatLoops.swigluForward("swigluForward", h, gate, up);
            return;
        }
        loops.swigluForward(h, gate, up);
    }

    @Override
    public void swigluBackward(INDArray dgate, INDArray dup, INDArray dh, INDArray gate, INDArray up) {
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
    public void layerNormForward(
            INDArray y, INDArray mean, INDArray rstd, INDArray x, INDArray gamma, INDArray beta, float eps) {
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
            INDArray dx,
            INDArray dgamma,
            INDArray dbeta,
            INDArray dy,
            INDArray x,
            INDArray mean,
            INDArray rstd,
            INDArray gamma) {
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
    public void rmsNormForward(INDArray y, INDArray rstd, INDArray x, INDArray gamma, float eps) {
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
    public void rmsNormBackward(INDArray dx, INDArray dgamma, INDArray dy, INDArray x, INDArray rstd, INDArray gamma) {
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
    public void rope(
            INDArray x, INDArray cos, INDArray sin, int batch, int seq, int heads, int headDim, boolean inverse) {
        if (floats("rope", x, cos, sin)) {
            Checks.rope(x, cos, sin, batch, seq, heads, headDim);
            FloatLoops.rope("rope", x, cos, sin, batch, seq, heads, headDim, inverse);
            return;
        }
        loops.rope(x, cos, sin, batch, seq, heads, headDim, inverse);
    }

    @Override
    public void attentionForward(INDArray out, INDArray probs, INDArray q, INDArray k, INDArray v, AttentionShape s) {
        String op = "attentionForward";
        DataType type = Checks.attentionForward(op, out, probs, q, k, v, s);
        Checks.contiguousAll(op, "out/probs/q/k/v", out, probs, q, k, v);
        int t = s.seq();
        int d = s.headDim();
        int qw = s.queryWidth();
        int kw = s.kvWidth();
        int group = s.group();
        long tt = (long) t * t;
        boolean[] keyFlags = s.mask().keyFlags(); // null: no single key hidden
        Pointer pprobs = probs == null ? null : Blas.pointer(probs);
        inHeadParallel(s.batch() * s.kvHeads(), (chunk, from, to) -> {
            // each chunk owns its pointer handles (Blas moves their positions) and its scratch slot
            Pointer pq = Blas.pointer(q);
            Pointer pk = Blas.pointer(k);
            Pointer pv = Blas.pointer(v);
            Pointer po = Blas.pointer(out);
            Pointer pp = pprobs != null ? Blas.pointer(probs) : scratch.get(slot(chunk, SLOT_SCORES), type, tt);
            for (int bg = from; bg < to; bg++) {
                int b = bg / s.kvHeads();
                int g = bg % s.kvHeads();
                long kOff = (long) b * t * kw + (long) g * d;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    long qOff = (long) b * t * qw + (long) h * d;
                    long pOff = pprobs != null ? ((long) b * s.heads() + h) * tt : 0;
                    probabilities(pp, pOff, pq, qOff, pk, kOff, s, b, keyFlags);
                    // out_bh[T,D] = P[T,T] @ V_bg[T,D]
                    Blas.gemm(false, false, t, d, t, 1.0, pp, pOff, t, pv, kOff, kw, 0.0, po, qOff, qw);
                }
            }
        });
    }

    @Override
    public void attentionBackward(
            INDArray dq,
            INDArray dk,
            INDArray dv,
            INDArray dout,
            INDArray probs,
            INDArray q,
            INDArray k,
            INDArray v,
            AttentionShape s) {
        String op = "attentionBackward";
        DataType type = Checks.attentionBackward(op, dq, dk, dv, dout, probs, q, k, v, s);
        Checks.contiguousAll(op, "dq/dk/dv/dout/probs/q/k/v", dq, dk, dv, dout, probs, q, k, v);
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
            Pointer pp = probs != null ? Blas.pointer(probs) : scratch.get(slot(chunk, SLOT_SCORES), type, tt);
            Pointer pds = scratch.get(slot(chunk, SLOT_DSCORES), type, tt);
            for (int bg = from; bg < to; bg++) {
                int b = bg / s.kvHeads();
                int g = bg % s.kvHeads();
                int valid = s.mask().keyEnd(b, t);
                long kOff = (long) b * t * kw + (long) g * d;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    long qOff = (long) b * t * qw + (long) h * d;
                    long pOff = probs != null ? ((long) b * s.heads() + h) * tt : 0;
                    if (probs == null) {
                        probabilities(pp, pOff, pq, qOff, pk, kOff, s, b, keyFlags);
                    }
                    // dP[T,T] = dO_bh @ V_bg^T
                    Blas.gemm(false, true, t, t, d, 1.0, pdo, qOff, qw, pv, kOff, kw, 0.0, pds, 0, t);
                    if (pdv != null) { // dV_bg += P^T @ dO_bh (heads of a group share V)
                        Blas.gemm(true, false, t, d, t, 1.0, pp, pOff, t, pdo, qOff, qw, 1.0, pdv, kOff, kw);
                    }
                    softmaxBackward(pds, pp, pOff, t, t, s.scale(), 0, valid, s.causal(), keyFlags, b * t);
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
    public void attentionDecode(INDArray out, INDArray q, INDArray kCache, INDArray vCache, DecodeShape s) {
        String op = "attentionDecode";
        DataType type = Checks.attentionDecode(op, out, q, kCache, vCache, s);
        Checks.contiguousAll(op, "out/q/kCache/vCache", out, q, kCache, vCache);
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
            Pointer ps = scratch.get(slot(chunk, SLOT_SCORES), type, nk);
            for (int bg = from; bg < to; bg++) {
                int b = bg / s.kvHeads();
                int g = bg % s.kvHeads();
                int keys = s.keys(b);
                long kOff = (long) s.slot(b) * s.capacity() * kw + (long) g * d;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    long qOff = (long) b * n * qw + (long) h * d;
                    Blas.gemm(false, true, n, keys, d, s.scale(), pq, qOff, qw, pk, kOff, kw, 0.0, ps, 0, keys);
                    softmax(ps, 0, n, s.past(b), keys, keys, true, null, 0);
                    Blas.gemm(false, false, n, d, keys, 1.0, ps, 0, keys, pv, kOff, kw, 0.0, po, qOff, qw);
                }
            }
        });
    }

    /**
     * The attention probabilities of query head slice {@code Q_bh} (at qOff) over key head slice {@code K_bg} (at
     * kOff) of sample b: {@code P[T,T] = masked softmax(scale * Q_bh @ K_bg^T)}, written at pOff. The scores are
     * computed where the probabilities will live, so the softmax runs in place.
     */
    private static void probabilities(
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
        softmax(pp, pOff, t, 0, t, s.mask().keyEnd(b, t), s.causal(), keyFlags, b * t);
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

    private static void softmax(
            Pointer p,
            long off,
            int rows,
            int first,
            int cols,
            int valid,
            boolean causal,
            boolean[] keyValid,
            int keyOff) {
        if (p instanceof org.bytedeco.javacpp.FloatPointer fp && off + (long) rows * cols <= Integer.MAX_VALUE) {
            FloatBuffer fb = new org.bytedeco.javacpp.FloatPointer(fp)
                    .position(0)
                    .limit(off + (long) rows * cols)
                    .capacity(off + (long) rows * cols)
                    .asBuffer();
            FloatLoops.softmaxRows(fb, (int) off, rows, first, cols, valid, causal, keyValid, keyOff);
        } else {
            softmaxInPlace(Vec.of(p, off, (long) rows * cols), rows, first, cols, valid, causal, keyValid, keyOff);
        }
    }

    private static void softmaxBackward(
            Pointer dp,
            Pointer p,
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
        if (dp instanceof org.bytedeco.javacpp.FloatPointer fd
                && p instanceof org.bytedeco.javacpp.FloatPointer fp
                && pOff + n <= Integer.MAX_VALUE) {
            FloatBuffer bd = new org.bytedeco.javacpp.FloatPointer(fd)
                    .position(0)
                    .limit(n)
                    .capacity(n)
                    .asBuffer();
            FloatBuffer bp = new org.bytedeco.javacpp.FloatPointer(fp)
                    .position(0)
                    .limit(pOff + n)
                    .capacity(pOff + n)
                    .asBuffer();
            FloatLoops.softmaxBackwardRows(
                    bd, 0, bp, (int) pOff, rows, cols, (float) scale, first, valid, causal, keyValid, keyOff);
        } else {
            softmaxBackwardInPlace(
                    Vec.of(dp, 0, n), Vec.of(p, pOff, n), rows, cols, scale, first, valid, causal, keyValid, keyOff);
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
    public void embeddingForward(INDArray out, INDArray table, int[] ids) {
        String op = "embeddingForward";
        if (floats(op, out, table)) {
            Checks.embedding(op, "table", table, "out", out, ids);
            FloatLoops.embeddingForward(out, table, ids, table.size(1));
            return;
        }
        loops.embeddingForward(out, table, ids);
    }

    @Override
    public void embeddingBackward(INDArray dtable, INDArray dout, int[] ids) {
        loops.embeddingBackward(dtable, dout, ids);
    }

    @Override
    public double crossEntropy(INDArray dlogits, INDArray logits, int[] targets, int ignoreIndex, float gradScale) {
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
    public void patchify(INDArray patches, INDArray images, int patchSize) {
        loops.patchify(patches, images, patchSize);
    }
}
