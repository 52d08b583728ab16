package io.share4v.backend.nd4j;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.backend.HostBackend;
import io.share4v.tensor.ops.Kernels;
import org.bytedeco.javacpp.Pointer;

/**
 * The default host-CPU backend, {@code nd4j}: tensors in native memory allocated through JavaCPP (no 2 GiB limit,
 * so a 7B model's flat buffers fit) and the {@link CpuBlasKernels} (OpenBLAS, which ND4J's CPU backend loads and
 * configures, and Java loops). Creating it fails, naming the backend found, when ND4J is not on its CPU backend.
 */
public final class Nd4jBackend extends HostBackend {
    public static final String NAME = "nd4j";

    /** Registers this backend with {@link Backends} (listed in {@code META-INF/services}). */
    public static final class Provider implements Backends.Provider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Nd4jBackend create() {
            CpuBlasKernels.requireCpuBackend(
                    org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getName());
            return new Nd4jBackend();
        }
    }

    private Nd4jBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Kernels kernels() {
        return CpuBlasKernels.create();
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        long bytes = Math.multiplyExact(Tensor.elements(shape), dtype.bytes());
        PointerStorage s = PointerStorage.allocate(NAME, bytes);
        Pointer.memset(PointerStorage.at(s.address(), Math.max(bytes, 1)), 0, Math.max(bytes, 1));
        return Tensor.view(s, dtype, 0, shape);
    }
}
