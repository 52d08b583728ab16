package io.share4v.tensor.testing;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.JavaBackend;
import java.util.Random;

/**
 * Test-side construction and inspection of host tensors: from Java arrays, random, and back to Java arrays or
 * single elements. Model code never reads tensor memory like this (it goes through a backend's transfers);
 * tests may, because the host backends are what they run on.
 */
public final class Tensors {
    private static final Backend JAVA = new JavaBackend();

    private Tensors() {}

    /** The pure-Java backend, for tests that only need host tensors to hold data. */
    public static Backend java() {
        return JAVA;
    }

    /** A new tensor of {@code backend} holding {@code data} (converted to {@code type}) in {@code shape}. */
    public static Tensor of(Backend backend, DType type, double[] data, long... shape) {
        Tensor t = backend.allocate(type, shape);
        if (data.length != t.length()) {
            throw new IllegalArgumentException(data.length + " values for " + t);
        }
        if (type == DType.DOUBLE) {
            backend.upload(t, data);
        } else {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            backend.upload(t, f);
        }
        return t;
    }

    /** A new FLOAT tensor of {@code backend} holding {@code data} in {@code shape}. */
    public static Tensor of(Backend backend, float[] data, long... shape) {
        Tensor t = backend.allocate(DType.FLOAT, shape);
        backend.upload(t, data);
        return t;
    }

    /** Uniform values in {@code [-scale, scale)} from {@code seed}. */
    public static Tensor uniform(Backend backend, DType type, long seed, double scale, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Tensor.elements(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * r.nextDouble() - 1) * scale;
        }
        return of(backend, type, v, shape);
    }

    /** Standard normal values times {@code scale} from {@code seed}. */
    public static Tensor gaussian(Backend backend, DType type, long seed, double scale, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Tensor.elements(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * scale;
        }
        return of(backend, type, v, shape);
    }

    /** A new zero tensor of {@code backend} with {@code t}'s type and shape. */
    public static Tensor zerosLike(Backend backend, Tensor t) {
        return backend.allocate(t.dtype(), t.shape());
    }

    /** A copy of {@code t} in a new tensor of {@code backend}. */
    public static Tensor copyOf(Backend backend, Tensor t) {
        return of(backend, t.dtype(), doubles(t), t.shape());
    }

    /** Every element as a double, flattened (host tensors). */
    public static double[] doubles(Tensor t) {
        double[] out = new double[Math.toIntExact(t.length())];
        if (t.dtype() == DType.DOUBLE) {
            t.doubles().get(0, out, 0, out.length);
        } else {
            java.nio.FloatBuffer f = t.floats();
            for (int i = 0; i < out.length; i++) {
                out[i] = f.get(i);
            }
        }
        return out;
    }

    /** Every element as a float, flattened (host FLOAT tensors). */
    public static float[] floats(Tensor t) {
        float[] out = new float[Math.toIntExact(t.length())];
        t.floats().get(0, out, 0, out.length);
        return out;
    }

    /** Element {@code i} of the flat view (host tensors). */
    public static double get(Tensor t, long i) {
        return t.dtype() == DType.DOUBLE
                ? t.doubles().get(Math.toIntExact(i))
                : t.floats().get(Math.toIntExact(i));
    }

    /** Sets element {@code i} of the flat view (host tensors). */
    public static void set(Tensor t, long i, double v) {
        if (t.dtype() == DType.DOUBLE) {
            t.doubles().put(Math.toIntExact(i), v);
        } else {
            t.floats().put(Math.toIntExact(i), (float) v);
        }
    }

    /** Sets every element (host tensors). */
    public static void fill(Tensor t, double v) {
        double[] all = new double[Math.toIntExact(t.length())];
        java.util.Arrays.fill(all, v);
        write(t, all);
    }

    /** Copies {@code src}'s elements into {@code dst} (host tensors of equal length, any types). */
    public static void assign(Tensor dst, Tensor src) {
        double[] v = doubles(src);
        if (v.length != dst.length()) {
            throw new IllegalArgumentException("assign " + src + " to " + dst);
        }
        write(dst, v);
    }

    private static void write(Tensor t, double[] v) {
        if (t.dtype() == DType.DOUBLE) {
            t.doubles().put(0, v, 0, v.length);
        } else {
            java.nio.FloatBuffer f = t.floats();
            for (int i = 0; i < v.length; i++) {
                f.put(i, (float) v[i]);
            }
        }
    }
}
