package io.share4v.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.util.Arrays;
import java.util.Random;

/**
 * Kernel test inputs in one backend's memory, and the comparison the kernel tests share. Every tensor is a view
 * at a non-zero offset inside a bigger buffer, so every kernel is exercised on views the way the model uses them
 * (flat parameter and activation buffers), never only on a tensor that starts its storage.
 */
public final class KernelFixtures {
    /** Elements before the view inside its buffer. */
    private static final int LEAD = 3;
    /** Elements after the view inside its buffer. */
    private static final int TRAIL = 2;

    private final Backend backend;
    private final Random rng;

    /** Tensors of {@code backend}, random values from {@code rng}. */
    public KernelFixtures(Backend backend, Random rng) {
        this.backend = backend;
        this.rng = rng;
    }

    public Backend backend() {
        return backend;
    }

    /** Uniform values in [-1, 1) (placed as {@link #zeros}). */
    public Tensor rand(DType type, long... shape) {
        Tensor a = zeros(type, shape);
        double[] v = new double[Math.toIntExact(a.length())];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        write(a, v);
        return a;
    }

    /** Uniform values in [-scale, scale): {@link #rand} times {@code scale}, rounded to the type. */
    public Tensor uniform(double scale, DType type, long... shape) {
        Tensor a = rand(type, shape);
        double[] v = Tensors.doubles(a);
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        write(a, v);
        return a;
    }

    /** A zero tensor that is a view at a non-zero offset inside a bigger zero buffer. */
    public Tensor zeros(DType type, long... shape) {
        long n = Tensor.elements(shape);
        return backend.allocate(type, LEAD + n + TRAIL).slice(LEAD, n).reshape(shape);
    }

    /** A new tensor of {@code like}'s type and shape with every element {@code value}. */
    public Tensor filled(Tensor like, double value) {
        Tensor a = zeros(like.dtype(), like.shape());
        double[] v = new double[Math.toIntExact(a.length())];
        Arrays.fill(v, value);
        write(a, v);
        return a;
    }

    /** A new tensor holding {@code a}'s elements. */
    public Tensor copyOf(Tensor a) {
        Tensor c = zeros(a.dtype(), a.shape());
        write(c, Tensors.doubles(a));
        return c;
    }

    /** A new tensor holding {@code a + s} element-wise, rounded to {@code a}'s type. */
    public Tensor plus(Tensor a, double s) {
        double[] v = Tensors.doubles(a);
        for (int i = 0; i < v.length; i++) {
            v[i] += s;
        }
        Tensor c = zeros(a.dtype(), a.shape());
        write(c, v);
        return c;
    }

    /** A new tensor holding {@code a + b} element-wise, rounded to {@code a}'s type. */
    public Tensor plus(Tensor a, Tensor b) {
        double[] v = Tensors.doubles(a);
        double[] w = Tensors.doubles(b);
        assertEquals(v.length, w.length, "plus: element count");
        for (int i = 0; i < v.length; i++) {
            v[i] += w[i];
        }
        Tensor c = zeros(a.dtype(), a.shape());
        write(c, v);
        return c;
    }

    /** The tolerance of a parity check in {@code type}. */
    public static double tol(DType type) {
        return type == DType.FLOAT ? 1e-5 : 1e-12;
    }

    /**
     * Element-wise {@code |got - want| <= tol * (|want| + rms(want))}: relative where values are large, scaled by
     * the tensor's magnitude where they cancel to near zero.
     */
    public static void assertClose(String what, Tensor want, Tensor got, double tol) {
        assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape()), what + ": shape");
        double[] w = Tensors.doubles(want);
        double[] g = Tensors.doubles(got);
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

    /** {@code |got - want| <= tol * max(1, |want|)}. */
    public static void assertClose(String what, double want, double got, double tol) {
        if (!(Math.abs(got - want) <= tol * Math.max(1.0, Math.abs(want)))) {
            fail(what + ": " + got + ", expected " + want);
        }
    }

    private void write(Tensor t, double[] v) {
        if (t.dtype() == DType.DOUBLE) {
            backend.upload(t, v);
        } else {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            backend.upload(t, f);
        }
    }
}
