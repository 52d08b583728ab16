package io.share4v.backend.nd4j;

import io.share4v.tensor.HostStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Host memory at a native address, allocated through JavaCPP (which counts it in {@link Pointer#physicalBytes()})
 * and freed on {@link #close()} or by the collector: the {@code nd4j} backend's tensors and its kernels' scratch.
 * Windows are JavaCPP direct buffers over the address, so one storage may exceed the 2 GiB of one Java buffer.
 */
class PointerStorage extends HostStorage implements AutoCloseable {
    private final long address;
    private final long bytes;
    /** The block this storage allocated and frees. */
    private final BytePointer allocated;

    private PointerStorage(String backend, BytePointer allocated) {
        super(backend);
        this.address = allocated.address();
        this.bytes = allocated.capacity();
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

    /** Frees the block now; tensors over it must not be used afterwards. */
    @Override
    public void close() {
        allocated.close();
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

        /**
         * One byte per position. JavaCPP knows no native size for this class and would take a pointer's 8 bytes,
         * so {@link #asByteBuffer()} would map 8 times the window.
         */
        @Override
        public int sizeof() {
            return 1;
        }
    }
}
