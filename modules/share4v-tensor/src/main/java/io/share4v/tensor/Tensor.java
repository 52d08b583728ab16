package io.share4v.tensor;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The tensor type of the model and the kernels (the backend-neutral seam): a dense, C-ordered (row-major) view of elements in a {@link Storage}: the storage, the element offset of the
 * first element, the shape and the element type. Every view is contiguous: kernels take whole rows of
 * row-major activations and flat parameter ranges, so there are no strides, and reshapes and row ranges never
 * copy. Views share the storage (writes through one are seen by all).
 *
 * <p>Dimension 0 is "rows": {@code [N, C]} activations, {@code [B, H, T, T]} probabilities, {@code [N]} vectors.
 */
public final class Tensor {
    private final Storage storage;
    private final DType dtype;
    private final long offset;
    private final long[] shape;
    private final long length;

    private Tensor(Storage storage, DType dtype, long offset, long[] shape) {
        this.storage = storage;
        this.dtype = dtype;
        this.offset = offset;
        this.shape = shape;
        long n = elements(shape);
        this.length = n;
        if (offset < 0 || (offset + n) * dtype.bytes() > storage.bytes()) {
            throw new IndexOutOfBoundsException(dtype + Arrays.toString(shape) + " at element " + offset
                    + " does not fit in a storage of " + storage.bytes() + " bytes");
        }
    }

    /** The number of elements of {@code shape}; a negative dimension or an overflow is an error. */
    public static long elements(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A view of {@code storage} starting at element {@code offset} (in units of {@code dtype}). */
    public static Tensor view(Storage storage, DType dtype, long offset, long... shape) {
        return new Tensor(storage, dtype, offset, shape.clone());
    }

    public Storage storage() {
        return storage;
    }

    public DType dtype() {
        return dtype;
    }

    /** Element offset of the first element inside the storage. */
    public long offset() {
        return offset;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public long size(int d) {
        return shape[d < 0 ? shape.length + d : d];
    }

    /** Number of elements. */
    public long length() {
        return length;
    }

    /** Size in bytes. */
    public long bytes() {
        return length * dtype.bytes();
    }

    /** Rows {@code [start, start + n)} along dimension 0, every other dimension whole; all rows returns this. */
    public Tensor rows(long start, long n) {
        requireRank1OrMore("rows");
        if (start < 0 || n < 0 || start + n > shape[0]) {
            throw new IndexOutOfBoundsException(
                    "rows [" + start + ", " + (start + n) + ") are outside the " + shape[0] + " rows of " + this);
        }
        if (start == 0 && n == shape[0]) {
            return this;
        }
        long[] s = shape.clone();
        s[0] = n;
        return new Tensor(storage, dtype, offset + start * rowLength(), s);
    }

    /** Row {@code r}: one entry along dimension 0, with that dimension dropped. */
    public Tensor row(long r) {
        requireRank1OrMore("row");
        if (r < 0 || r >= shape[0]) {
            throw new IndexOutOfBoundsException("row " + r + " is outside the " + shape[0] + " rows of " + this);
        }
        return new Tensor(storage, dtype, offset + r * rowLength(), Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** The same elements with another shape of equal length. */
    public Tensor reshape(long... newShape) {
        Tensor t = new Tensor(storage, dtype, offset, newShape.clone());
        if (t.length != length) {
            throw new IllegalArgumentException(
                    "cannot reshape " + this + " (" + length + " elements) to " + Arrays.toString(newShape));
        }
        return t;
    }

    /** The elements as one vector. */
    public Tensor flat() {
        return shape.length == 1 ? this : reshape(length);
    }

    /** Elements {@code [start, start + n)} of the flat view, as a vector. */
    public Tensor slice(long start, long n) {
        return flat().rows(start, n);
    }

    /** True when both views cover the same elements of the same storage with the same type and shape. */
    public boolean sameView(Tensor o) {
        return o.storage == storage && o.offset == offset && o.dtype == dtype && Arrays.equals(o.shape, shape);
    }

    /**
     * The elements as a float buffer (absolute get/put index 0 = the first element). Host FLOAT tensors of at
     * most 2^31-1 elements only; this is how Java kernels and host transfers read and write.
     */
    public FloatBuffer floats() {
        requireType(DType.FLOAT);
        return window().asFloatBuffer();
    }

    /** As {@link #floats()}, for DOUBLE tensors. */
    public DoubleBuffer doubles() {
        requireType(DType.DOUBLE);
        return window().asDoubleBuffer();
    }

    /** A little-endian byte view of exactly this tensor's elements (host tensors of at most 2^31-1 bytes). */
    public ByteBuffer window() {
        if (!(storage instanceof HostStorage h)) {
            throw new IllegalStateException(
                    this + " is in " + storage.backend() + " device memory; copy it to the host through the backend");
        }
        if (bytes() > Integer.MAX_VALUE) {
            throw new IllegalStateException(this + " has " + bytes() + " bytes; a host window holds at most "
                    + Integer.MAX_VALUE + " (take rows or a slice)");
        }
        return h.window(offset * dtype.bytes(), (int) bytes());
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape) + (offset == 0 ? "" : "@" + offset);
    }

    /** Elements per entry of dimension 0 (the product of the other dimensions). */
    private long rowLength() {
        long n = 1;
        for (int d = 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }

    private void requireRank1OrMore(String op) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(op + " of the scalar " + this + ": it has no rows");
        }
    }

    private void requireType(DType t) {
        if (dtype != t) {
            throw new IllegalArgumentException(this + " is " + dtype + ", not " + t);
        }
    }
}
