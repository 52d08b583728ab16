package io.share4v.model.llava;

import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Tensors;

/** Reductions over host tensors that the model tests compare with: maxima and 2-norms, of one or of a difference. */
final class HostMath {
    private HostMath() {}

    /** {@code max |t|} (0 for an empty tensor). */
    static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : Tensors.doubles(t)) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** {@code max |a - b|} over tensors of equal length, computed in double. */
    static double maxAbsDiff(Tensor a, Tensor b) {
        double[] x = Tensors.doubles(a);
        double[] y = sameLength(x, b);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    /** {@code ||t||}. */
    static double norm2(Tensor t) {
        double s = 0;
        for (double v : Tensors.doubles(t)) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** {@code ||a - b||} over tensors of equal length. */
    static double norm2Diff(Tensor a, Tensor b) {
        double[] x = Tensors.doubles(a);
        double[] y = sameLength(x, b);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s);
    }

    /**
     * True when every element pair is within {@code eps} absolutely or relatively to the larger magnitude
     * ({@code |a - b| <= eps * max(1, |a|, |b|)}), ND4J's {@code equalsWithEps}.
     */
    static boolean equalsWithEps(Tensor a, Tensor b, double eps) {
        double[] x = Tensors.doubles(a);
        double[] y = sameLength(x, b);
        for (int i = 0; i < x.length; i++) {
            double scale = Math.max(1, Math.max(Math.abs(x[i]), Math.abs(y[i])));
            if (!(Math.abs(x[i] - y[i]) <= eps * scale)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code t} times {@code s}, as a tensor of the pure-Java backend in {@code t}'s type. */
    static Tensor scaled(Tensor t, double s) {
        double[] v = Tensors.doubles(t);
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return Tensors.of(Tensors.java(), t.dtype(), v, t.shape());
    }

    private static double[] sameLength(double[] x, Tensor b) {
        double[] y = Tensors.doubles(b);
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " elements compared with " + b);
        }
        return y;
    }
}
