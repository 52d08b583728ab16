package io.share4v.tensor.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleRawIndexer;
import org.bytedeco.javacpp.indexer.FloatRawIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a dense C-ordered array as a flat vector in double, whatever its storage type (FLOAT or
 * DOUBLE). The scalar oracle computes in double through this; it reads the off-heap buffer directly (no
 * per-element ND4J call) starting at the view's first element.
 */
abstract sealed class Vec permits Vec.F, Vec.D {
    abstract double get(long i);

    abstract void set(long i, double v);

    final void add(long i, double v) {
        set(i, get(i) + v);
    }

    /** A vector over {@code a}; null stays null, so optional arguments read naturally. */
    static Vec of(String op, String name, INDArray a) {
        if (a == null) {
            return null;
        }
        Checks.contiguous(op, name, a);
        if (a.dataType() == DataType.FLOAT) {
            return new F(new FloatRawIndexer(new FloatPointer(a.data().addressPointer())
                    .position(0)
                    .limit(a.length())
                    .capacity(a.length())));
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new D(new DoubleRawIndexer(new DoublePointer(a.data().addressPointer())
                    .position(0)
                    .limit(a.length())
                    .capacity(a.length())));
        }
        throw new IllegalArgumentException(op + ": " + name + " must be FLOAT or DOUBLE, got " + a.dataType());
    }

    /** A vector over {@code len} elements of a typed pointer from element {@code offset} (its position is ignored). */
    static Vec of(Pointer p, long offset, long len) {
        if (p instanceof FloatPointer fp) {
            return new F(
                    new FloatRawIndexer(new FloatPointer(fp).position(offset).limit(offset + len)));
        }
        if (p instanceof DoublePointer dp) {
            return new D(
                    new DoubleRawIndexer(new DoublePointer(dp).position(offset).limit(offset + len)));
        }
        throw new IllegalArgumentException("not a float or double pointer: " + p);
    }

    static final class F extends Vec {
        private final FloatRawIndexer ix;

        F(FloatRawIndexer ix) {
            this.ix = ix;
        }

        @Override
        double get(long i) {
            return ix.get(i);
        }

        @Override
        void set(long i, double v) {
            ix.put(i, (float) v);
        }
    }

    static final class D extends Vec {
        private final DoubleRawIndexer ix;

        D(DoubleRawIndexer ix) {
            this.ix = ix;
        }

        @Override
        double get(long i) {
            return ix.get(i);
        }

        @Override
        void set(long i, double v) {
            ix.put(i, v);
        }
    }
}
