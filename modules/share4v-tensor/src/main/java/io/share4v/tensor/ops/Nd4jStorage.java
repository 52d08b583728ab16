package io.share4v.tensor.ops;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An ND4J array's host buffer as tensor storage, with no copy: the storage starts at the buffer's address
 * ({@code data().address()}, the buffer's element 0) and the tensor's offset is the array's ({@code offset()}),
 * so a view into a flat parameter or activation buffer stays a view. Only dense C-ordered arrays qualify: a
 * {@link Tensor} has no strides.
 */
final class Nd4jStorage extends PointerStorage {
    static final String BACKEND = "nd4j";

    private Nd4jStorage(INDArray a, long bytes) {
        super(BACKEND, a.data().address(), bytes, a.data());
    }

    /**
     * A tensor over {@code a} (null stays null). Refuses an array that is not FLOAT or DOUBLE or not a dense
     * C-ordered block, naming kernel {@code op} and argument {@code name}.
     */
    static Tensor tensor(String op, String name, INDArray a) {
        if (a == null) {
            return null;
        }
        DType type = dtype(op, a.dataType());
        requireDense(op, name, a);
        long[] shape = a.shape();
        long offset = a.offset();
        Nd4jStorage storage = new Nd4jStorage(a, (offset + a.length()) * type.bytes());
        return Tensor.view(storage, type, offset, shape);
    }

    private static DType dtype(String op, DataType t) {
        if (t == DataType.FLOAT) {
            return DType.FLOAT;
        }
        if (t == DataType.DOUBLE) {
            return DType.DOUBLE;
        }
        throw new IllegalArgumentException(op + ": arrays must be FLOAT or DOUBLE, got " + t);
    }

    /** Throws unless {@code a} is a dense C-ordered block (a row range of a bigger buffer is fine). */
    private static void requireDense(String op, String name, INDArray a) {
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
}
