package io.share4v.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import java.util.List;
import org.junit.jupiter.api.Test;

class Nd4jBackendTest {
    /**
     * The parameterised tests here, and those of every module with this one on its test class path, run once per
     * name of this list: a missing service registration or a backend that fails to start must fail here rather
     * than quietly halve those suites.
     */
    @Test
    void hostBackendsOfThisClassPathAreJavaAndNd4j() {
        assertEquals(List.of("java", "nd4j"), HostBackends.NAMES);
    }

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
