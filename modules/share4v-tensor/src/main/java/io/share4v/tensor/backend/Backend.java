package io.share4v.tensor.backend;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Kernels;
import java.nio.ByteBuffer;

/**
 * A compute backend: where tensors live (its allocator) and how data crosses between the JVM and that memory.
 * The model allocates every parameter, gradient and activation buffer through one backend and moves host data
 * (token ids, images, checkpoint bytes, logits) only through these transfers, so a device backend can own
 * its memory; on host backends the transfers are plain copies.
 *
 * <p>One name selects a backend everywhere ({@link Backends#create}): {@code java} (pure Java, no native
 * library), {@code nd4j} (host CPU with OpenBLAS) and later {@code cuda}.
 */
public interface Backend {
    /** The name that selects this backend ({@code java}, {@code nd4j}, ...). */
    String name();

    /**
     * This backend's kernels, which read and write its tensors (a new instance: kernel sets keep per-instance
     * scratch and are used by one thread each).
     */
    Kernels kernels();

    /** A new zero-filled tensor of this backend. */
    Tensor allocate(DType dtype, long... shape);

    /** {@code dst = src}: as many elements as {@code dst} has. */
    void upload(Tensor dst, float[] src);

    /** {@code dst = src}: as many elements as {@code dst} has. */
    void upload(Tensor dst, double[] src);

    /** {@code dst = src}, from little-endian element bytes ({@code src.remaining() == dst.bytes()}); src advances. */
    void upload(Tensor dst, ByteBuffer src);

    /** {@code dst = src}: as many elements as {@code src} has. */
    void download(float[] dst, Tensor src);

    /** {@code dst = src}: as many elements as {@code src} has. */
    void download(double[] dst, Tensor src);

    /** {@code dst = src} as little-endian element bytes ({@code dst.remaining() >= src.bytes()}); dst advances. */
    void download(ByteBuffer dst, Tensor src);
}
