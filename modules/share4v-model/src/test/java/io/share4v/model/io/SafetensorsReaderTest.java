package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Header validation as strict as the reference library; every float dtype widens exactly as torch does. */
class SafetensorsReaderTest {
    static Stream<Arguments> dtypes() {
        return HostBackends.each(
                List.of("f64", "f32", "f16", "bf16", "f64_special", "f32_special", "f16_special", "bf16_special"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void dtypesWidenExactly(String backendName, String name) throws IOException {
        Backend backend = Backends.create(backendName);
        Map<String, StoredTensor> ts = SafetensorsReader.read(IoFixtures.path("dtypes.safetensors")).tensors().stream()
                .collect(Collectors.toMap(StoredTensor::name, t -> t));
        StoredTensor t = ts.get(name);
        TensorCopier copier = new TensorCopier(backend);
        Tensor f = backend.allocate(DType.FLOAT, t.numel());
        copier.copy(t, f, 0);
        assertArrayEquals(IoFixtures.npy("dtypes_" + name + "_f32.npy"), Tensors.floats(f), name);
        Tensor d = backend.allocate(DType.DOUBLE, t.numel());
        copier.copy(t, d, 0);
        assertArrayEquals(IoFixtures.npyF64("dtypes_" + name + ".npy"), Tensors.doubles(d), name);
    }

    @Test
    void halfConversionCoversSubnormalsAndSpecials() {
        assertEquals(0x1p-24f, Half.toFloat((short) 0x0001));
        assertEquals(65504f, Half.toFloat((short) 0x7BFF));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat((short) 0xFC00));
        assertTrue(Float.isNaN(Half.toFloat((short) 0x7E00)));
        assertEquals(-0.0f, Half.toFloat((short) 0x8000));
    }

    private static Path file(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("t.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}|12|tensor b: data_offsets start at 4 but the previous tensor ends at 8 (overlap)",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}|8|tensor a: data_offsets [0, 8] span 8 bytes but shape [3] x F32 needs 12",
                "{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}|8|tensor a: unknown dtype \"Q4\"",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}|16|tensors cover 8 data bytes but the file holds 16 (trailing bytes)",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}|8|tensors cover 16 data bytes but the file holds 8 (truncated file?)",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}|8|tensor a: data_offsets start at 4 but the previous tensor ends at 0 (gap)",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}|4|tensor a: \"shape\" must hold non-negative integers",
                "{\"a\":1,\"a\":2}|0|not valid JSON",
                "[1,2]|0|not a JSON object",
            })
    void corruptHeadersNameFileAndTensor(String header, int dataBytes, String expected, @TempDir Path tmp)
            throws IOException {
        Path p = file(tmp, header, dataBytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsReader.read(p));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void truncatedFileAndBadLengthAreReported(@TempDir Path tmp) throws IOException {
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> SafetensorsReader.read(IoFixtures.path("bad/truncated.safetensors")));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path p = tmp.resolve("x.safetensors");
        Files.write(p, new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, '{', '}'});
        e = assertThrows(CheckpointException.class, () -> SafetensorsReader.read(p));
        assertTrue(e.getMessage().contains("declares a header of 65535 bytes"), e.getMessage());
        Files.write(p, new byte[] {1, 2, 3});
        e = assertThrows(CheckpointException.class, () -> SafetensorsReader.read(p));
        assertTrue(e.getMessage().contains("shorter than the 8-byte header length"), e.getMessage());
    }

    @Test
    void shardIndexMustAgreeWithShards(@TempDir Path tmp) throws IOException {
        Path src = IoFixtures.path("llava-st-bf16-sharded");
        try (var s = Files.list(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, tmp.resolve(p.getFileName()));
            }
        }
        String idx = Files.readString(tmp.resolve("model.safetensors.index.json"));
        Files.writeString(
                tmp.resolve("model.safetensors.index.json"),
                idx.replace("\"model.norm.weight\"", "\"model.norm2.weight\""));
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightFiles.read(tmp));
        assertTrue(e.getMessage().contains("holds tensor model.norm.weight"), e.getMessage());
    }
}
