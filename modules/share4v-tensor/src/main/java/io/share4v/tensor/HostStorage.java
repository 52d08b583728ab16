package io.share4v.tensor;

import java.nio.ByteBuffer;

/**
 * Host memory outside the Java heap. Java code reads and writes it through little-endian {@link ByteBuffer}
 * windows (a window is int-indexed, so at most 2^31-1 bytes each); native code (BLAS) through {@link #address()}.
 */
public abstract class HostStorage implements Storage {
    private final String backend;

    protected HostStorage(String backend) {
        this.backend = backend;
    }

    @Override
    public final boolean isHost() {
        return true;
    }

    @Override
    public final String backend() {
        return backend;
    }

    /**
     * A little-endian view of bytes {@code [offset, offset + length)}: a new buffer object each call (position 0,
     * limit = capacity = length), sharing the memory.
     */
    public abstract ByteBuffer window(long offset, int length);

    /** The native address of byte 0, for kernels that hand the memory to native libraries. */
    public abstract long address();

    /** Checks that {@code [offset, offset + length)} lies inside this storage. */
    protected final void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > bytes()) {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + length) + ") are outside the "
                    + bytes() + " bytes of this " + backend + " storage");
        }
    }
}
