package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.testing.HostBackends;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weights never pass through the Java heap: a 200 MB safetensors tensor loads in a forked JVM with
 * {@code -Xmx64m} (any float[]/byte[] copy of it would need 200 MB of heap and fail with OutOfMemoryError), into
 * either host backend's off-heap memory.
 */
class MappedLoadTest {
    private static final long N = 50_000_000L; // 200 MB of F32

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void twoHundredMegabytesLoadUnderA64MegabyteHeap(String backend, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.safetensors");
        writeRamp(file, N);
        assertEquals(8 + headerPad(file) + N * 4, Files.size(file));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                javaBin,
                "-Xmx64m",
                // JavaCPP caps off-heap memory at a multiple of -Xmx by default; the parameter buffer is off-heap
                "-Dorg.bytedeco.javacpp.maxbytes=0",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                // the java backend's buffers are direct buffers, capped at -Xmx by default
                "-XX:MaxDirectMemorySize=1g",
                "-cp",
                System.getProperty("java.class.path"),
                MappedLoadMain.class.getName(),
                file.toString(),
                Long.toString(N),
                backend);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK maxHeap="), out);
    }

    private static long headerPad(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            return b.getLong(0);
        }
    }

    /** A one-tensor safetensors file, element i = (i mod 1000) / 8, written in 4 MB chunks. */
    static void writeRamp(Path file, long n) throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + n + "],\"data_offsets\":[0," + (n * 4) + "]}}";
        while (h.length() % 8 != 0) {
            h += " ";
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, h.length());
            ch.write(len);
            ch.write(ByteBuffer.wrap(h.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; ) {
                chunk.clear();
                while (chunk.hasRemaining() && i < n) {
                    chunk.putFloat((i % 1000) / 8f);
                    i++;
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
        }
    }
}
