package io.share4v.tensor.backend;

import io.share4v.tensor.Tensor;
import java.nio.ByteBuffer;

/**
 * The transfers of a backend whose memory is host memory: bulk copies through the tensors' buffer views.
 * Subclasses choose the allocator.
 */
public abstract class HostBackend implements Backend {
    @Override
    public void upload(Tensor dst, float[] src) {
        requireOwn(dst);
        requireLength(src.length, dst, "upload");
        dst.floats().put(0, src, 0, src.length);
    }

    @Override
    public void upload(Tensor dst, double[] src) {
        requireOwn(dst);
        requireLength(src.length, dst, "upload");
        dst.doubles().put(0, src, 0, src.length);
    }

    @Override
    public void upload(Tensor dst, ByteBuffer src) {
        requireOwn(dst);
        if (src.remaining() != dst.bytes()) {
            throw new IllegalArgumentException(
                    "upload of " + src.remaining() + " bytes into " + dst + " (" + dst.bytes() + " bytes)");
        }
        dst.window().put(src);
    }

    @Override
    public void download(float[] dst, Tensor src) {
        requireOwn(src);
        requireLength(dst.length, src, "download");
        src.floats().get(0, dst, 0, dst.length);
    }

    @Override
    public void download(double[] dst, Tensor src) {
        requireOwn(src);
        requireLength(dst.length, src, "download");
        src.doubles().get(0, dst, 0, dst.length);
    }

    @Override
    public void download(ByteBuffer dst, Tensor src) {
        requireOwn(src);
        if (dst.remaining() < src.bytes()) {
            throw new IllegalArgumentException("download of " + src + " (" + src.bytes() + " bytes) into a buffer with "
                    + dst.remaining() + " bytes left");
        }
        dst.put(src.window());
    }

    /** Refuses a tensor of another backend: its memory may not be host memory, or not this allocator's. */
    protected final void requireOwn(Tensor t) {
        if (!t.storage().backend().equals(name())) {
            throw new IllegalArgumentException(
                    t + " belongs to the " + t.storage().backend() + " backend, not " + name());
        }
    }

    private static void requireLength(int arrayLength, Tensor t, String op) {
        if (arrayLength != t.length()) {
            throw new IllegalArgumentException(
                    op + " of " + arrayLength + " elements for " + t + " (" + t.length() + " elements)");
        }
    }
}
