package io.share4v.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

class Nd4jBackendTest {
    @Test
    void nd4jKernelsRefuseAnyBackendButNd4jCpu() {
        CpuBlasKernels.requireCpuBackend("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        var e = assertThrows(
                IllegalStateException.class,
                () -> CpuBlasKernels.requireCpuBackend("org.nd4j.linalg.jcublas.JCublasBackend"));
        assertTrue(e.getMessage().contains("org.nd4j.linalg.jcublas.JCublasBackend"), e.getMessage());
        assertTrue(e.getMessage().contains("need ND4J's CPU backend (nd4j-native"), e.getMessage());
    }

    @Test
    void backendsChooseKernelsByName() {
        assertEquals("scalar", Backends.create("scalar").kernels().name());
        assertEquals("scalar", Backends.create("java").kernels().name());
        String nd4j = Backends.create("nd4j").kernels().name();
        assertTrue(nd4j.startsWith("nd4j-cpu("), nd4j);
        var e = assertThrows(IllegalArgumentException.class, () -> Backends.create("cuda"));
        assertTrue(e.getMessage().contains("expected one of java, nd4j"), e.getMessage());
    }
}
