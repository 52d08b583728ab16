package io.share4v.tensor.backend;

import io.share4v.tensor.DType;
import io.share4v.tensor.DirectStorage;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.ScalarKernels;

/**
 * The pure-Java backend: direct-buffer host memory ({@link DirectStorage}) and the reference kernels
 * ({@link ScalarKernels}, plain Java loops computing in double). It needs no native library, so it runs anywhere a
 * JVM does (the self-contained bundle) and is the oracle the other backends are checked against.
 */
public final class JavaBackend extends HostBackend {
    public static final String NAME = "java";
    /** The name of its kernels before backends existed ({@code --kernels scalar}); still accepted. */
    public static final String OLD_NAME = "scalar";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Kernels kernels() {
        return new ScalarKernels();
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        long bytes = Math.multiplyExact(Tensor.elements(shape), dtype.bytes());
        return Tensor.view(new DirectStorage(NAME, bytes), dtype, 0, shape);
    }
}
