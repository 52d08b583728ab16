package io.share4v.tensor.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-major GEMM straight into the CBLAS that ND4J itself loads (OpenBLAS), on raw pointers with explicit
 * leading dimensions. Going below {@code Nd4j.gemm} lets a head's {@code [T, D]} slice of a {@code [B*T, H*D]}
 * activation be an operand in place (lda = H*D) instead of a copied view, and costs no per-call op planning.
 */
final class Blas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private Blas() {}

    /** A typed pointer at the first element of {@code a} (FLOAT or DOUBLE). */
    static Pointer pointer(INDArray a) {
        Pointer p = a.data().addressPointer();
        return a.dataType() == DataType.FLOAT ? new FloatPointer(p).position(0) : new DoublePointer(p).position(0);
    }

    /** The row stride of a 2-D array whose rows are dense (unit column stride); an error otherwise. */
    static int ld(String op, String name, INDArray a) {
        Checks.rank2(op, name, a);
        if (a.size(1) > 1 && a.stride(1) != 1 || a.size(0) > 1 && a.stride(0) < a.size(1)) {
            throw new IllegalArgumentException(
                    op + ": " + name + " must have dense rows, got strides " + java.util.Arrays.toString(a.stride()));
        }
        return (int) Math.max(a.size(0) > 1 ? a.stride(0) : a.size(1), 1);
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
