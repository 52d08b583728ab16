package io.share4v.tensor.backend;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Kernels;
import java.nio.ByteBuffer;

/**
 * A backend that passes every call to another one; subclasses override what they observe or change (a profiler's
 * timed kernels, a test's counted allocations). Tensors stay the delegate's: a forwarding backend owns no memory.
 */
public abstract class ForwardingBackend implements Backend {
    private final Backend delegate;

    protected ForwardingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** The backend every call goes to. */
    protected final Backend delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Kernels kernels() {
        return delegate.kernels();
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        return delegate.allocate(dtype, shape);
    }

    @Override
    public void upload(Tensor dst, float[] src) {
        delegate.upload(dst, src);
    }

    @Override
    public void upload(Tensor dst, double[] src) {
        delegate.upload(dst, src);
    }

    @Override
    public void upload(Tensor dst, ByteBuffer src) {
        delegate.upload(dst, src);
    }

    @Override
    public void download(float[] dst, Tensor src) {
        delegate.download(dst, src);
    }

    @Override
    public void download(double[] dst, Tensor src) {
        delegate.download(dst, src);
    }

    @Override
    public void download(ByteBuffer dst, Tensor src) {
        delegate.download(dst, src);
    }
}
