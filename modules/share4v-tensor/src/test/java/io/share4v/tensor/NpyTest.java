package io.share4v.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by numpy 1.24 (src/test/python/make_npy_fixtures.py) are read exactly and written byte-identically. */
class NpyTest {
    @TempDir
    Path tmp;

    private static Path npy(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    }

    @Test
    void readsNumpyFloat32AndWritesTheSameBytes() throws Exception {
        Npy.FloatArray a = Npy.readFloat32(npy("f4_2x3.npy"));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1.5f, -2.25f, 3.0f, 0.1f, 1e-30f, -7.0f}, a.data());
        Path out = tmp.resolve("w.npy");
        Npy.writeFloat32(out, a.shape(), a.data());
        assertArrayEquals(Files.readAllBytes(npy("f4_2x3.npy")), Files.readAllBytes(out));
    }

    @Test
    void readsNumpyFloat64IncludingZeroDimensional() throws Exception {
        Npy.DoubleArray s = Npy.readFloat64(npy("f8_scalar.npy"));
        assertArrayEquals(new int[0], s.shape());
        assertEquals(6.638401829987123, s.data()[0], 0.0);
        Npy.DoubleArray v = Npy.readFloat64(npy("f8_3.npy"));
        assertArrayEquals(new double[] {1.0 / 3.0, -2.5e-300, 1e300}, v.data(), 0.0);
        Path out = tmp.resolve("s.npy");
        Npy.writeFloat64(out, s.shape(), s.data());
        assertArrayEquals(Files.readAllBytes(npy("f8_scalar.npy")), Files.readAllBytes(out));
        Npy.writeFloat64(out, v.shape(), v.data());
        assertArrayEquals(Files.readAllBytes(npy("f8_3.npy")), Files.readAllBytes(out));
    }

    @Test
    void readsNumpyIntegersAndWritesTheSameBytes() throws Exception {
        Npy.LongArray l = Npy.readInt64(npy("i8_4.npy"));
        assertArrayEquals(new long[] {-200, -100, 0, 9007199254740993L}, l.data());
        Path out = tmp.resolve("l.npy");
        Npy.writeInt64(out, l.shape(), l.data());
        assertArrayEquals(Files.readAllBytes(npy("i8_4.npy")), Files.readAllBytes(out));

        Npy.IntArray i = Npy.readInt32(npy("i4_2x2.npy"));
        assertArrayEquals(new int[] {2, 2}, i.shape());
        assertArrayEquals(new int[] {1, 0, -1, Integer.MAX_VALUE}, i.data());
        Npy.writeInt32(out, i.shape(), i.data());
        assertArrayEquals(Files.readAllBytes(npy("i4_2x2.npy")), Files.readAllBytes(out));
    }

    @Test
    void headerAndWideningReadAnySupportedDtype() throws Exception {
        assertEquals(Npy.Dtype.INT32, Npy.readHeader(npy("i4_2x2.npy")).dtype());
        assertEquals(3, Npy.readHeader(npy("f8_3.npy")).size());
        assertArrayEquals(
                new double[] {1, 0, -1, Integer.MAX_VALUE},
                Npy.readAsDouble(npy("i4_2x2.npy")).data(),
                0.0);
        assertArrayEquals(
                new double[] {1.5, -2.25, 3.0, 0.1f, 1e-30f, -7.0},
                Npy.readAsDouble(npy("f4_2x3.npy")).data(),
                0.0);
    }

    @Test
    void wrongOrUnsupportedDtypeIsAnErrorNamingFileAndDtype() throws Exception {
        IOException wrong = assertThrows(IOException.class, () -> Npy.readFloat32(npy("f8_3.npy")));
        assertTrue(wrong.getMessage().contains("f8_3.npy") && wrong.getMessage().contains("<f8"), wrong.getMessage());
        IOException half = assertThrows(IOException.class, () -> Npy.readAsDouble(npy("f2_2.npy")));
        assertTrue(half.getMessage().contains("<f2"), half.getMessage());
        IOException fortran = assertThrows(IOException.class, () -> Npy.readFloat32(npy("f4_fortran.npy")));
        assertTrue(fortran.getMessage().contains("Fortran"), fortran.getMessage());
    }

    @Test
    void truncatedDataAndShapeMismatchAreRejected() throws Exception {
        byte[] full = Files.readAllBytes(npy("f8_3.npy"));
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length - 8));
        IOException e = assertThrows(IOException.class, () -> Npy.readFloat64(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Npy.writeInt64(tmp.resolve("x.npy"), new int[] {2, 2}, new long[3]));
    }

    @Test
    void largeArraysRoundTripAcrossWriteChunks() throws Exception {
        int n = (1 << 16) + 7;
        double[] d = new double[n];
        long[] l = new long[n];
        for (int k = 0; k < n; k++) {
            d[k] = Math.sin(k) * 1e-3;
            l[k] = (long) k * k - 5;
        }
        Path p = tmp.resolve("big.npy");
        Npy.writeFloat64(p, new int[] {n}, d);
        assertArrayEquals(d, Npy.readFloat64(p).data(), 0.0);
        Npy.writeInt64(p, new int[] {1, n}, l);
        assertArrayEquals(l, Npy.readInt64(p).data());
    }
}
