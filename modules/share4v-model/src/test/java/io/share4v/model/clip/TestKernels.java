package io.share4v.model.clip;

import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.CpuBlasKernels;
import io.share4v.tensor.ops.ScalarKernels;
import java.util.List;

/** The kernel implementations every model test runs with: the scalar oracle and the ND4J one. */
final class TestKernels {
    static final List<String> NAMES = List.of("scalar", "nd4j");

    private TestKernels() {}

    static Kernels create(String name) {
        return switch (name) {
            case "scalar" -> new ScalarKernels();
            case "nd4j" -> CpuBlasKernels.create();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
