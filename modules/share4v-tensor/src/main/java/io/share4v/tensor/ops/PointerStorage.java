package io.share4v.tensor.ops;

import io.share4v.tensor.HostStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Host memory at a native address, seen through JavaCPP: either a block this class allocates (the kernels'
 * scratch; JavaCPP counts it in {@link Pointer#physicalBytes()} and frees it on {@link #close()}) or memory owned
 * by someone else ({@link Nd4jStorage}). Windows are JavaCPP direct buffers over the address, as the FLOAT loops
 * have always read ND4J's memory.
 */
class PointerStorage extends HostStorage implements AutoCloseable {
    private final long address;
    private final long bytes;
    /** The owner of the memory, kept reachable while a tensor views it (null for memory owned by no one else). */
    private final Object owner;
    /** The block this storage allocated and frees (null for borrowed memory). */
    private final BytePointer allocated;

    PointerStorage(String backend, long address, long bytes, Object owner) {
        super(backend);
        this.address = address;
        this.bytes = bytes;
        this.owner = owner;
        this.allocated = null;
    }

    private PointerStorage(String backend, BytePointer allocated) {
        super(backend);
        this.address = allocated.address();
        this.bytes = allocated.capacity();
        this.owner = null;
        this.allocated = allocated;
    }

    /** A new block of {@code bytes} bytes (contents undefined), freed by {@link #close()} or the collector. */
    static PointerStorage allocate(String backend, long bytes) {
        return new PointerStorage(backend, new BytePointer(Math.max(bytes, 1)));
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public ByteBuffer window(long offset, int length) {
        checkRange(offset, length);
        if (length == 0) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN); // JavaCPP maps no empty window
        }
        return new At(address + offset, length).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Frees an allocated block now (no-op for borrowed memory); tensors over it must not be used afterwards. */
    @Override
    public void close() {
        if (allocated != null) {
            allocated.close();
        }
    }

    /** A raw JavaCPP pointer at {@code address} covering {@code bytes} bytes (position 0). */
    static Pointer at(long address, long bytes) {
        return new At(address, bytes);
    }

    private static final class At extends Pointer {
        At(long address, long bytes) {
            this.address = address;
            this.limit = bytes;
            this.capacity = bytes;
        }
    }
}
