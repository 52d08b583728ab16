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
}
