package io.share4v.tensor.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the kernel implementations; every message names the kernel and the argument. */
final class Checks {
    private Checks() {
    }

    /** The one data type (FLOAT or DOUBLE) of all non-null arrays; anything else is an error. */
    static DataType dtype(String op, INDArray... arrays) {
        DataType t = null;
        for (INDArray a : arrays) {
            if (a == null) {
                continue;
            }
            DataType at = a.dataType();
            if (at != DataType.FLOAT && at != DataType.DOUBLE) {
                throw new IllegalArgumentException(op + ": arrays must be FLOAT or DOUBLE, got " + at);
            }
            if (t == null) {
                t = at;
            } else if (t != at) {
                throw new IllegalArgumentException(op + ": mixed data types " + t + " and " + at);
            }
        }
        if (t == null) {
            throw new IllegalArgumentException(op + ": no arrays given");
        }
        return t;
    }

    /** Throws unless {@code a} is a dense C-ordered block (a row range of a bigger buffer is fine). */
    static void contiguous(String op, String name, INDArray a) {
        if (a == null) {
            return;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expect) {
                throw new IllegalArgumentException(op + ": " + name + " must be a dense C-ordered array, got shape "
                        + Arrays.toString(shape) + " strides " + Arrays.toString(stride));
            }
            expect *= shape[i];
        }
    }

    static void rank2(String op, String name, INDArray a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must be 2-D, got shape " + Arrays.toString(a.shape()));
        }
    }

    static void shape(String op, String name, INDArray a, long... expected) {
        if (a == null) {
            return;
        }
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    static void length(String op, String name, INDArray a, long expected) {
        if (a == null) {
            return;
        }
        if (a.length() != expected) {
            throw new IllegalArgumentException(op + ": " + name + " has " + a.length() + " elements (shape "
                    + Arrays.toString(a.shape()) + "), expected " + expected);
        }
    }

    static void sameShape(String op, String nameA, INDArray a, String nameB, INDArray b) {
        if (a == null || b == null) {
            return;
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": " + nameA + " " + Arrays.toString(a.shape()) + " and " + nameB
                    + " " + Arrays.toString(b.shape()) + " must have the same shape");
        }
    }

    static void ids(String op, int[] ids, long rows, long vocab, boolean allowNegative) {
        if (ids.length != rows) {
            throw new IllegalArgumentException(op + ": " + ids.length + " ids for " + rows + " rows");
        }
        for (int n = 0; n < ids.length; n++) {
            int id = ids[n];
            if (id >= vocab || (id < 0 && !allowNegative)) {
                throw new IllegalArgumentException(op + ": id " + id + " at row " + n + " outside [0, " + vocab + ")");
            }
        }
    }

    static long rows(INDArray a) {
        return a.size(0);
    }

    static long cols(INDArray a) {
        return a.size(1);
    }

    /** Rows, input and output features of a linear layer call ({@code y[N,O] = x[N,C] @ w[O,C]^T}). */
    /** {@code op(a)} is {@code [m, k]}, {@code op(b)} is {@code [k, n]}, {@code c} is {@code [m, n]}. */
    record GemmDims(long m, long n, long k) {}

    /** The argument checks of {@link Kernels#gemm}, shared by every implementation. */
    static GemmDims gemm(String op, INDArray c, INDArray a, boolean transA, INDArray b, boolean transB) {
        dtype(op, c, a, b);
        rank2(op, "a", a);
        rank2(op, "b", b);
        rank2(op, "c", c);
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        long n = transB ? b.size(0) : b.size(1);
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: op(a) is " + m + "x" + k
                    + ", op(b) is " + kb + "x" + n);
        }
        shape(op, "c", c, m, n);
        return new GemmDims(m, n, k);
    }

    record LinearDims(long n, long c, long o) {}

    /** The argument checks of {@link Kernels#linearForward}, shared by every implementation. */
    static LinearDims linearForward(String op, INDArray y, INDArray x, INDArray w, INDArray bias) {
        dtype(op, y, x, w, bias);
        rank2(op, "x", x);
        rank2(op, "w", w);
        long n = x.size(0);
        long c = x.size(1);
        long o = w.size(0);
        shape(op, "w", w, o, c);
        shape(op, "y", y, n, o);
        length(op, "bias", bias, o);
        return new LinearDims(n, c, o);
    }

    /** The argument checks of {@link Kernels#linearBackward}, shared by every implementation. */
    static LinearDims linearBackward(String op, INDArray dx, INDArray dw, INDArray dbias, INDArray dy, INDArray x,
                                     INDArray w) {
        dtype(op, dx, dw, dbias, dy, x, w);
        long n = dy.size(0);
        long o = dy.size(1);
        long c = w.size(1);
        shape(op, "w", w, o, c);
        shape(op, "x", x, n, c);
        shape(op, "dx", dx, n, c);
        shape(op, "dw", dw, o, c);
        length(op, "dbias", dbias, o);
        return new LinearDims(n, c, o);
    }
}
