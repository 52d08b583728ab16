package io.share4v.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Tensors;
import java.lang.ref.Reference;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Blas#gemm} against a plain loop, on operands that sit at offsets inside larger buffers with leading
 * dimensions wider than the rows, for every transpose combination. One-row products (KV-cached decoding) go
 * through GEMV: they must give the GEMM result, ignore a NaN-filled output when beta = 0, and touch nothing but
 * their own output row. The operands are tensors of the {@code nd4j} backend.
 */
class BlasTest {
    private final Backend nd4j = Backends.create("nd4j");

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DType type : DType.values()) {
            for (int m : new int[] {1, 3}) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        for (double beta : new double[] {0, 1}) {
                            b.add(Arguments.of(type, m, ta, tb, beta));
                        }
                    }
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} m={1} transA={2} transB={3} beta={4}")
    @MethodSource("cases")
    void matchesLoopAndTouchesOnlyItsOutput(DType type, int m, boolean transA, boolean transB, double beta) {
        int n = 37;
        int k = 29;
        double alpha = 0.75;
        Random rng = new Random(m * 31 + (transA ? 7 : 0) + (transB ? 3 : 0));
        // stored shapes: op(a) is [m,k]; op(b) is [k,n]; c is [m,n]; each with padding columns and an offset
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + 5;
        int ldb = bCols + 3;
        int ldc = n + 4;
        int offA = 11;
        int offB = 13;
        int offC = 17;
        double[] a = random(rng, offA + aRows * lda + 6);
        double[] bb = random(rng, offB + bRows * ldb + 6);
        double[] c = random(rng, offC + m * ldc + 9);
        if (beta == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[offC + i * ldc + j] = Double.NaN; // must not leak: beta = 0 means "do not read c"
                }
            }
        }
        double[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    double bv = transB ? bb[offB + j * ldb + p] : bb[offB + p * ldb + j];
                    s += av * bv;
                }
                int at = offC + i * ldc + j;
                expected[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
            }
        }
        Tensor ta = Tensors.of(nd4j, type, a, a.length);
        Tensor tb = Tensors.of(nd4j, type, bb, bb.length);
        Tensor tc = Tensors.of(nd4j, type, c, c.length);
        Blas.gemm(
                transA,
                transB,
                m,
                n,
                k,
                alpha,
                Blas.pointer(ta),
                offA,
                lda,
                Blas.pointer(tb),
                offB,
                ldb,
                beta,
                Blas.pointer(tc),
                offC,
                ldc);
        // the pointers do not own the memory: the tensors (whose storage frees it when collected) must outlive the call
        Reference.reachabilityFence(ta);
        Reference.reachabilityFence(tb);
        double[] got = Tensors.doubles(tc);
        double tol = type == DType.FLOAT ? 2e-5 : 1e-12;
        for (int i = 0; i < c.length; i++) {
            boolean inOutput = i >= offC && (i - offC) / ldc < m && (i - offC) % ldc < n;
            if (inOutput) {
                assertTrue(
                        Math.abs(got[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
                        "c[" + i + "] = " + got[i] + ", expected " + expected[i]);
            } else {
                double stored = type == DType.FLOAT ? (float) c[i] : c[i];
                assertEquals(stored, got[i], 0.0, "c[" + i + "] lies outside the output and must be untouched");
            }
        }
    }

    private static double[] random(Random rng, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return v;
    }
}
