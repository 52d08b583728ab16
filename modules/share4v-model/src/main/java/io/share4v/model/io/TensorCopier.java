package io.share4v.model.io;

import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Copies a {@link StoredTensor} from its memory-mapped file into a range of a flat FLOAT or DOUBLE buffer of a
 * backend, converting the element type on the way. Same-type data (F32 into FLOAT, F64 into DOUBLE) goes from
 * the mapped file straight to the backend's upload (one copy on a host backend, one transfer on a device); F16
 * and BF16 are widened element by element into a reusable staging buffer first. Nothing passes through a Java
 * array. One instance per load (it keeps the staging buffer); not thread-safe.
 */
public final class TensorCopier {
    /** Elements copied per mapped window and per staging pass (64 MiB of FLOAT). */
    private static final long CHUNK_ELEMENTS = 1L << 24;

    private final Backend backend;
    private ByteBuffer staging; // direct, little-endian; grown on demand up to one chunk

    public TensorCopier(Backend backend) {
        this.backend = backend;
    }

    /** Copies all of {@code t} (row-major) to {@code flat[flatOffset, flatOffset + t.numel())}. */
    public void copy(StoredTensor t, Tensor flat, long flatOffset) throws IOException {
        requireFlat(flat);
        if (!t.dtype().isFloatingPoint()) {
            throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " has dtype " + t.dtype()
                    + "; only F32, F16, BF16 and F64 tensors can be loaded into parameters");
        }
        checkBounds(t);
        try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            long need = t.byteOffset()
                    + maxElementIndex(t) * t.dtype().size()
                    + (t.numel() == 0 ? 0 : t.dtype().size());
            if (need > ch.size()) {
                throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " needs bytes up to " + need
                        + " but the file has " + ch.size() + " (truncated file?)");
            }
            if (t.isContiguous()) {
                copyContiguous(ch, t, flat, flatOffset);
            } else {
                copyStrided(ch, t, flat, flatOffset);
            }
        }
    }

    private void copyContiguous(FileChannel ch, StoredTensor t, Tensor flat, long flatOffset) throws IOException {
        long n = t.numel();
        int es = t.dtype().size();
        for (long done = 0; done < n; done += CHUNK_ELEMENTS) {
            long count = Math.min(CHUNK_ELEMENTS, n - done);
            MappedByteBuffer src = ch.map(FileChannel.MapMode.READ_ONLY, t.byteOffset() + done * es, count * es);
            src.order(ByteOrder.LITTLE_ENDIAN);
            Tensor dst = flat.slice(flatOffset + done, count);
            if (sameType(t.dtype(), dst.dtype())) {
                backend.upload(dst, src);
            } else {
                upload(dst, src, 0, 1, t.dtype());
            }
        }
    }

    /** Converts {@code dst.length()} source elements into the staging buffer, then uploads them into dst. */
    private void upload(Tensor dst, ByteBuffer src, long srcStart, long srcStride, DType type) {
        int count = Math.toIntExact(dst.length());
        int bytes = Math.toIntExact(dst.bytes());
        if (staging == null || staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer stage = staging.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        convert(src, srcStart, srcStride, type, stage, 0, count, dst.dtype());
        stage.limit(bytes).position(0);
        backend.upload(dst, stage);
    }

    private static boolean sameType(DType stored, io.share4v.tensor.DType target) {
        return (stored == DType.F32 && target == io.share4v.tensor.DType.FLOAT)
                || (stored == DType.F64 && target == io.share4v.tensor.DType.DOUBLE);
    }

    private static void requireFlat(Tensor flat) {
        if (flat.rank() != 1
                || (flat.dtype() != io.share4v.tensor.DType.FLOAT && flat.dtype() != io.share4v.tensor.DType.DOUBLE)) {
            throw new IllegalArgumentException("flat parameter buffer must be a FLOAT or DOUBLE vector, got " + flat);
        }
    }

    /**
     * A PyTorch view (transposed, sliced or sharing a storage): walk the index space row by row. Views are
     * rare in state dicts, so this path favours plainness; the storage region it reads must fit one mapping.
     */
    private void copyStrided(FileChannel ch, StoredTensor t, Tensor flat, long flatOffset) throws IOException {
        long span = (maxElementIndex(t) + 1) * t.dtype().size();
        if (span > Integer.MAX_VALUE) {
            throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " is a non-contiguous view over "
                    + span + " bytes of storage; views over more than 2 GiB are not supported (save it contiguous)");
        }
        MappedByteBuffer src = ch.map(FileChannel.MapMode.READ_ONLY, t.byteOffset(), span);
        src.order(ByteOrder.LITTLE_ENDIAN);
        long[] shape = t.shape();
        long[] strides = t.strides();
        int rank = shape.length;
        long rowLen = rank == 0 ? 1 : shape[rank - 1];
        long rowStride = rank == 0 ? 1 : strides[rank - 1];
        long rows = t.numel() / Math.max(rowLen, 1);
        long[] idx = new long[Math.max(rank - 1, 0)];
        for (long r = 0; r < rows; r++) {
            long base = 0;
            for (int d = 0; d < idx.length; d++) {
                base += idx[d] * strides[d];
            }
            upload(flat.slice(flatOffset + r * rowLen, rowLen), src, base, rowStride, t.dtype());
            for (int d = idx.length - 1; d >= 0; d--) { // odometer over the leading dimensions
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /**
     * Converts {@code count} elements, source element {@code i} at element index {@code srcStart + i * srcStride},
     * into consecutive destination elements.
     */
    static void convert(
            ByteBuffer src,
            long srcStart,
            long srcStride,
            DType type,
            ByteBuffer dst,
            int dstStart,
            int count,
            io.share4v.tensor.DType dstType) {
        boolean toFloat = dstType == io.share4v.tensor.DType.FLOAT;
        if (srcStride == 1 && ((type == DType.F32 && toFloat) || (type == DType.F64 && !toFloat))) {
            int es = type.size();
            ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            s.limit(Math.toIntExact((srcStart + count) * es)).position(Math.toIntExact(srcStart * es));
            ByteBuffer d = dst.duplicate();
            d.position(dstStart * es);
            d.put(s); // native to native, the JDK's memcpy
            return;
        }
        int es = type.size();
        for (int i = 0; i < count; i++) {
            int at = Math.toIntExact((srcStart + i * srcStride) * es);
            double v;
            float f;
            switch (type) {
                case F32 -> f = src.getFloat(at);
                case F16 -> f = Half.toFloat(src.getShort(at));
                case BF16 -> f = Float.intBitsToFloat((src.getShort(at) & 0xFFFF) << 16);
                case F64 -> {
                    v = src.getDouble(at);
                    if (toFloat) {
                        dst.putFloat((dstStart + i) * 4, (float) v);
                    } else {
                        dst.putDouble((dstStart + i) * 8, v);
                    }
                    continue;
                }
                default -> throw new IllegalStateException("not a floating-point dtype: " + type);
            }
            if (toFloat) {
                dst.putFloat((dstStart + i) * 4, f);
            } else {
                dst.putDouble((dstStart + i) * 8, f);
            }
        }
    }

    static long maxElementIndex(StoredTensor t) {
        long[] shape = t.shape();
        long[] strides = t.strides();
        long max = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return 0;
            }
            max += (shape[d] - 1) * strides[d];
        }
        return max;
    }

    private static void checkBounds(StoredTensor t) {
        for (long s : t.strides()) {
            if (s < 0) {
                throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " has negative strides "
                        + Arrays.toString(t.strides()));
            }
        }
        if (t.numel() > 0 && maxElementIndex(t) >= t.storageElements()) {
            throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " (shape "
                    + Arrays.toString(t.shape()) + ", strides " + Arrays.toString(t.strides())
                    + ") reaches element " + maxElementIndex(t) + " of a storage of " + t.storageElements());
        }
    }

    /** Maps a whole file read-only (for headers and small pickles). */
    static MappedByteBuffer mapAll(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + " is larger than 2 GiB; map a region instead");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
    }
}
