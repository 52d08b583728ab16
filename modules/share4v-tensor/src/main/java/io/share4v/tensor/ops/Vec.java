package io.share4v.tensor.ops;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Element access to a host tensor as a flat vector in double, whatever its element type (FLOAT or DOUBLE). The
 * scalar oracle computes in double through this; it reads the tensor's memory through one buffer window per
 * argument (no per-element allocation), index 0 being the tensor's first element. Public for the kernels of the
 * backend modules, which fall back to the same double loops; not for model code.
 */
public abstract sealed class Vec permits Vec.F, Vec.D {
    public abstract double get(long i);

    public abstract void set(long i, double v);

    public final void add(long i, double v) {
        set(i, get(i) + v);
    }

    /** A vector over {@code t}; null stays null, so optional arguments read naturally. */
    public static Vec of(String op, String name, Tensor t) {
        if (t == null) {
            return null;
        }
        if (t.dtype() == DType.FLOAT) {
            return new F(t.floats());
        }
        if (t.dtype() == DType.DOUBLE) {
            return new D(t.doubles());
        }
        throw new IllegalArgumentException(op + ": " + name + " must be FLOAT or DOUBLE, got " + t.dtype());
    }

    static final class F extends Vec {
        private final FloatBuffer b;

        F(FloatBuffer b) {
            this.b = b;
        }

        @Override
        public double get(long i) {
            return b.get((int) i);
        }

        @Override
        public void set(long i, double v) {
            b.put((int) i, (float) v);
        }
    }

    static final class D extends Vec {
        private final DoubleBuffer b;

        D(DoubleBuffer b) {
            this.b = b;
        }

        @Override
        public double get(long i) {
            return b.get((int) i);
        }

        @Override
        public void set(long i, double v) {
            b.put((int) i, v);
        }
    }
}
