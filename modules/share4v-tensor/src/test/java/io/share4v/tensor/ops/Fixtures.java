package io.share4v.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Test arrays and comparisons shared by the kernel tests. */
final class Fixtures {
    private Fixtures() {}

    /**
     * Uniform [-1, 1) values in a C-ordered array that is a view at a non-zero offset inside a bigger buffer,
     * so every kernel is exercised on views the way the model uses them (flat parameter / activation buffers).
     */
    static INDArray rand(Random rng, DataType type, long... shape) {
        INDArray a = view(type, shape);
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        a.assign(Nd4j.createFromArray(v).reshape(shape).castTo(type));
        return a;
    }

    /** A zero view (same placement as {@link #rand}). */
    static INDArray view(DataType type, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        INDArray flat = Nd4j.zeros(type, n + 5);
        return flat.get(NDArrayIndex.interval(3, 3 + n)).reshape('c', shape);
    }

    /** A filled view of the same shape and type. */
    static INDArray filled(INDArray like, double value) {
        INDArray a = view(like.dataType(), like.shape());
        a.assign(value);
        return a;
    }

    static INDArray copyOf(INDArray a) {
        INDArray c = view(a.dataType(), a.shape());
        c.assign(a);
        return c;
    }

    static double tol(DataType type) {
        return type == DataType.FLOAT ? 1e-5 : 1e-12;
    }

    /**
     * Element-wise {@code |got - want| <= tol * (|want| + rms(want))}: relative where values are large,
     * scaled by the array's magnitude where they cancel to near zero.
     */
    static void assertClose(String what, INDArray want, INDArray got, double tol) {
        assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape()), what + ": shape");
        double[] w = want.castTo(DataType.DOUBLE).data().asDouble();
        double[] g = got.castTo(DataType.DOUBLE).data().asDouble();
        double rms = 0;
        for (double x : w) {
            rms += x * x;
        }
        rms = Math.sqrt(rms / Math.max(w.length, 1)) + 1e-30;
        for (int i = 0; i < w.length; i++) {
            double bound = tol * (Math.abs(w[i]) + rms);
            if (!(Math.abs(g[i] - w[i]) <= bound)) {
                fail(what + ": element " + i + " is " + g[i] + ", expected " + w[i] + " (tolerance " + bound + ")");
            }
        }
    }

    static void assertClose(String what, double want, double got, double tol) {
        if (!(Math.abs(got - want) <= tol * Math.max(1.0, Math.abs(want)))) {
            fail(what + ": " + got + ", expected " + want);
        }
    }
}
