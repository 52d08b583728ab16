package io.share4v.backend.nd4j;

import io.share4v.tensor.DType;
import io.share4v.tensor.HostStorage;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Checks;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Row-major GEMM straight into the CBLAS that ND4J itself loads (OpenBLAS), on raw pointers with explicit
 * leading dimensions (a tensor's address is its host storage's plus its offset). Going below {@code Nd4j.gemm}
 * lets a head's {@code [T, D]} slice of a {@code [B*T, H*D]} activation be an operand in place (lda = H*D) instead of a copied view, and costs no per-call op planning.
 */
final class Blas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private Blas() {}

    /**
     * The native address of {@code t}'s first element: its host storage's address plus the element offset. Device
     * tensors have none (a host backend's kernels cannot run on them).
     */
    static long address(Tensor t) {
        if (!(t.storage() instanceof HostStorage h)) {
            throw new IllegalStateException(
                    t + " is in " + t.storage().backend() + " device memory; the host kernels need host memory");
        }
        return h.address() + t.offset() * t.dtype().bytes();
    }

    /** A typed pointer at the first element of {@code t} (FLOAT or DOUBLE), position 0. */
    static Pointer pointer(Tensor t) {
        Pointer at = PointerStorage.at(address(t), t.bytes());
        Pointer p = t.dtype() == DType.FLOAT ? new FloatPointer(at) : new DoublePointer(at);
        return p.position(0).limit(t.length()).capacity(t.length());
    }

    /** The row stride of a 2-D tensor: its row length (tensors are dense). */
    static int ld(String op, String name, Tensor t) {
        Checks.rank2(op, name, t);
        return (int) Math.max(t.size(1), 1);
    }

    /**
     * {@code C[m,n] = alpha op(A) op(B) + beta C}; each operand is a pointer plus an element offset and a
     * leading dimension. The pointers' positions are moved (they are scratch handles, not shared).
     */
    static void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            double alpha,
            Pointer a,
            long offA,
            int lda,
            Pointer b,
            long offB,
            int ldb,
            double beta,
            Pointer c,
            long offC,
            int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (m == 1) {
            gemvRow(transA, transB, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC);
            return;
        }
        int ta = transA ? TRANS : NO_TRANS;
        int tb = transB ? TRANS : NO_TRANS;
        if (c instanceof FloatPointer fc) {
            FloatPointer fa = (FloatPointer) a;
            FloatPointer fb = (FloatPointer) b;
            openblas_nolapack.cblas_sgemm(
                    ROW_MAJOR,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    (float) alpha,
                    fa.position(offA),
                    lda,
                    fb.position(offB),
                    ldb,
                    (float) beta,
                    fc.position(offC),
                    ldc);
        } else {
            DoublePointer da = (DoublePointer) a;
            DoublePointer db = (DoublePointer) b;
            openblas_nolapack.cblas_dgemm(
                    ROW_MAJOR,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    alpha,
                    da.position(offA),
                    lda,
                    db.position(offB),
                    ldb,
                    beta,
                    ((DoublePointer) c).position(offC),
                    ldc);
        }
    }

    /**
     * A one-row product {@code c[1,n] = alpha op(a)[1,k] op(b)[k,n] + beta c} as a GEMV. OpenBLAS 0.3.28 runs a
     * GEMM with m = 1 through its packing path, which copies all of {@code b} before using it once; for KV-cached
     * decoding (every linear is one row per sample) that made decoding 3x slower. GEMV streams {@code b} once.
     * As in GEMM, beta = 0 means the row is not read (BlasTest fills it with NaN to hold OpenBLAS to that).
     */
    private static void gemvRow(
            boolean transA,
            boolean transB,
            int n,
            int k,
            double alpha,
            Pointer a,
            long offA,
            int lda,
            Pointer b,
            long offB,
            int ldb,
            double beta,
            Pointer c,
            long offC) {
        // op(b) = b^T: b is [n, k], c = b a (NoTrans); op(b) = b: b is [k, n], c = b^T a (Trans)
        int tb = transB ? NO_TRANS : TRANS;
        int rows = transB ? n : k;
        int cols = transB ? k : n;
        int incA = transA ? lda : 1; // op(a) = a^T: a is a [k, 1] column with row stride lda
        if (c instanceof FloatPointer fc) {
            openblas_nolapack.cblas_sgemv(
                    ROW_MAJOR,
                    tb,
                    rows,
                    cols,
                    (float) alpha,
                    ((FloatPointer) b).position(offB),
                    ldb,
                    ((FloatPointer) a).position(offA),
                    incA,
                    (float) beta,
                    fc.position(offC),
                    1);
        } else {
            openblas_nolapack.cblas_dgemv(
                    ROW_MAJOR,
                    tb,
                    rows,
                    cols,
                    alpha,
                    ((DoublePointer) b).position(offB),
                    ldb,
                    ((DoublePointer) a).position(offA),
                    incA,
                    beta,
                    ((DoublePointer) c).position(offC),
                    1);
        }
    }
}
