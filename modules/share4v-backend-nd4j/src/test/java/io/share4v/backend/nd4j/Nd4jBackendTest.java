package io.share4v.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
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

    /**
     * A window covers exactly its tensor's bytes, also for a view at an offset (JavaCPP sizes a pointer subclass's
     * buffer by its element size, so a byte pointer that did not say so gave windows 8 times too long, and a
     * download wrote 8 times the data).
     */
    @Test
    void windowsCoverExactlyTheTensorsBytes() {
        Backend b = Backends.create("nd4j");
        Tensor t = b.allocate(DType.FLOAT, 4, 3);
        assertEquals(48, t.window().capacity());
        Tensor row = t.row(1);
        assertEquals(12, row.window().capacity());
        row.floats().put(0, 7f);
        assertEquals(7f, t.floats().get(3));
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(64);
        b.download(out, row);
        assertEquals(12, out.position());
    }
}
