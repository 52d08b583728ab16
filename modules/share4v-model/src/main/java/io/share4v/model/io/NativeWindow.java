package io.share4v.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct {@link ByteBuffer} windows onto the native memory of a flat ND4J vector, so that checkpoint bytes go
 * from the page cache straight into the parameter buffer (and back out to a file) without a Java-heap copy
 * and without an intermediate ND4J buffer. ND4J has no API for "write these bytes at element offset k of
 * this array"; {@code Nd4j.createBuffer(ByteBuffer, ...)} makes a second native copy and, for BF16 (and UINT16),
 * returns garbage that changes from run to run (measured with ND4J 1.0.0-M2.1), hence this small bridge over JavaCPP's pointer.
 */
final class NativeWindow {
    /** Largest window handed out at once: a ByteBuffer is int-indexed. */
    static final long MAX_WINDOW_BYTES = 1L << 30;

    private NativeWindow() {}

    /** Checks that {@code flat} is a dense FLOAT or DOUBLE vector we may address element by element. */
    static void requireDenseVector(INDArray flat) {
        if (flat.dataType() != DataType.FLOAT && flat.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("flat parameter buffer must be FLOAT or DOUBLE, got " + flat.dataType());
        }
        if (!flat.isVector() && flat.length() > 1 || flat.rank() > 2) {
            throw new IllegalArgumentException(
                    "flat parameter buffer must be a vector, got shape " + java.util.Arrays.toString(flat.shape()));
        }
        if (flat.length() > 1 && flat.elementWiseStride() != 1) {
            throw new IllegalArgumentException(
                    "flat parameter buffer must be dense (element-wise stride 1), got " + flat.elementWiseStride());
        }
    }

    /**
     * Elements {@code [start, start + count)} of {@code flat} as a little-endian byte window
     * ({@code count * elementSize <= MAX_WINDOW_BYTES}).
     */
    static ByteBuffer window(INDArray flat, long start, long count) {
        long esize = flat.dataType().width();
        long bytes = count * esize;
        if (bytes > MAX_WINDOW_BYTES || start < 0 || start + count > flat.length()) {
            throw new IllegalArgumentException("window [" + start + ", " + (start + count) + ") of a vector of "
                    + flat.length() + " (" + bytes + " bytes)");
        }
        long from = (flat.offset() + start) * esize;
        return new At(flat.data().address() + from, bytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A byte pointer at a raw native address (JavaCPP exposes the address field only to subclasses). */
    private static final class At extends BytePointer {
        At(long address, long bytes) {
            super((Pointer) null);
            this.address = address;
            this.capacity = bytes;
            this.limit = bytes;
        }
    }
}
