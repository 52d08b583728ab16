package io.share4v.tensor;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host memory from {@link ByteBuffer#allocateDirect}: no native library, zero-filled, freed by the garbage
 * collector with its buffer. One buffer is int-indexed, so one storage holds at most 2^31-1 bytes (a 500M-parameter
 * fp32 flat buffer); the pure-Java backend is the reference and the small-model backend, and the native backends
 * allocate larger storages their own way.
 */
public final class DirectStorage extends HostStorage {
    /** The largest storage this class can allocate, in bytes. */
    public static final long MAX_BYTES = Integer.MAX_VALUE;

    private final ByteBuffer buffer;
    /** The buffer's address once read (0 before): native kernels ask for it on every call. */
    private volatile long address;

    public DirectStorage(String backend, long bytes) {
        super(backend);
        if (bytes < 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("a " + backend + " storage of " + bytes + " bytes is invalid: expected"
                    + " 0.." + MAX_BYTES + " (one direct buffer); use a native backend for larger tensors");
        }
        this.buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long bytes() {
        return buffer.capacity();
    }

    @Override
    public ByteBuffer window(long offset, int length) {
        checkRange(offset, length);
        return buffer.slice((int) offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The buffer's native address, read from {@code java.nio.Buffer.address} (needs {@code --add-opens
     * java.base/java.nio=ALL-UNNAMED}, which {@code bin/share4v} and the tests pass; the bundle's launcher does not,
     * and the pure-Java backend never asks). Only native code needs it.
     */
    @Override
    public long address() {
        long a = address;
        if (a == 0) {
            a = readAddress();
            address = a;
        }
        return a;
    }

    private long readAddress() {
        try {
            Field f = Buffer.class.getDeclaredField("address");
            f.setAccessible(true);
            return f.getLong(buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "the address of a direct buffer needs --add-opens java.base/java.nio=ALL-UNNAMED", e);
        }
    }
}
