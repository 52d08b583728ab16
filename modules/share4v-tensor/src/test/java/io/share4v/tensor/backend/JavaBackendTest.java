package io.share4v.tensor.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.DirectStorage;
import io.share4v.tensor.HostStorage;
import io.share4v.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class JavaBackendTest {
    private final Backend java = Backends.create("java");

    @Test
    void allocationsAreZeroFilledAndRoundTripEveryType() {
        Tensor f = java.allocate(DType.FLOAT, 2, 3);
        float[] out = new float[6];
        java.download(out, f);
        assertArrayEquals(new float[6], out);
        java.upload(f, new float[] {1, 2, 3, 4, 5, 6});
        java.download(out, f);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, out);

        Tensor d = java.allocate(DType.DOUBLE, 3);
        java.upload(d, new double[] {Math.PI, -0.0, 1e-300});
        double[] back = new double[3];
        java.download(back, d);
        assertArrayEquals(new double[] {Math.PI, -0.0, 1e-300}, back);
    }

    @Test
    void byteTransfersAreLittleEndianElementBytes() {
        Tensor t = java.allocate(DType.FLOAT, 2);
        ByteBuffer in = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f)
                .putFloat(-2f)
                .flip();
        java.upload(t, in);
        assertEquals(0, in.remaining());
        ByteBuffer out = ByteBuffer.allocate(8);
        java.download(out, t);
        assertArrayEquals(new byte[] {0, 0, (byte) 0xC0, 0x3F, 0, 0, 0, (byte) 0xC0}, out.array());
        assertThrows(IllegalArgumentException.class, () -> java.upload(t, ByteBuffer.allocate(4)));
    }

    @Test
    void mismatchesNameTheTensor() {
        Tensor t = java.allocate(DType.FLOAT, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> java.upload(t, new float[3]));
        assertEquals("upload of 3 elements for FLOAT[2, 2] (4 elements)", e.getMessage());
        Tensor foreign = Tensor.view(new DirectStorage("other", 16), DType.FLOAT, 0, 4);
        e = assertThrows(IllegalArgumentException.class, () -> java.download(new float[4], foreign));
        assertEquals("FLOAT[4] belongs to the other backend, not java", e.getMessage());
    }

    @Test
    void storageLimitAndUnknownBackendsAreExplained() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> java.allocate(DType.FLOAT, 1L << 30));
        assertTrue(e.getMessage().contains("use a native backend for larger tensors"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backends.create("tpu"));
        assertTrue(e.getMessage().startsWith("backend = tpu is invalid: expected one of java"), e.getMessage());
        assertEquals("java", Backends.available().get(0));
    }

    @Test
    void directStorageHasANativeAddress() {
        HostStorage s = new DirectStorage("java", 64);
        assertTrue(s.address() != 0);
        assertEquals(64, s.window(0, 64).capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> s.window(60, 8));
    }
}
