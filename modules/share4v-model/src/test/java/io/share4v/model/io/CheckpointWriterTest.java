package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.common.json.JsonFile;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer reproduces, byte for byte, what the Python side's faithful safetensors writer (the Rust
 * library's layout, transformers' sharding and index) writes for the same buffer: that is what proves
 * PyTorch/transformers can read our checkpoints without running Python in the test. Plus a Java round trip. The
 * buffers live in either host backend.
 */
class CheckpointWriterTest {
    private static Tensor flatOf(Backend backend, io.share4v.tensor.DType type, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return Tensors.of(backend, type, d, d.length);
    }

    private static Tensor flatOf(Backend backend, float[] values) {
        return Tensors.of(backend, values, values.length);
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void assertSameFiles(Path golden, Path out, List<String> names) throws IOException {
        for (String f : names) {
            assertArrayEquals(Files.readAllBytes(golden.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void shardedF32WithTowerIsByteIdenticalToTheReferenceLayout(String backendName, @TempDir Path tmp)
            throws IOException {
        Backend backend = Backends.create(backendName);
        LlavaConfig c = IoFixtures.tinyConfig();
        ParamLayout layout = LlavaLayout.of(c);
        Tensor flat = flatOf(backend, IoFixtures.expectedFlat());
        Path out = tmp.resolve("out");
        CheckpointWriter.write(
                out, c, layout, backend, flat, new CheckpointWriter.Options(2000, DType.F32, null, "vision_tower"));
        Path golden = IoFixtures.path("writer-golden");
        List<String> want = files(golden);
        assertTrue(want.size() > 10, "golden has several shards: " + want);
        List<String> got =
                files(out).stream().filter(f -> !f.endsWith("config.json")).collect(Collectors.toList());
        assertEquals(want, got);
        assertSameFiles(golden, out, want);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void bf16IsRoundedToNearestEvenLikeTorch(String backendName, @TempDir Path tmp) throws IOException {
        Backend backend = Backends.create(backendName);
        LlavaConfig c = IoFixtures.tinyConfig();
        ParamLayout layout = LlavaLayout.of(c);
        Tensor flat = flatOf(backend, IoFixtures.npy("random_flat.npy"));
        CheckpointWriter.write(
                tmp,
                c,
                layout,
                backend,
                flat,
                new CheckpointWriter.Options(CheckpointWriter.DEFAULT_MAX_SHARD_BYTES, DType.BF16, null, null));
        assertSameFiles(IoFixtures.path("writer-golden-bf16"), tmp, List.of("model.safetensors"));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void roundTripReadsBackTheSameConfigAndValues(String backendName, @TempDir Path tmp) throws IOException {
        Backend backend = Backends.create(backendName);
        LlavaConfig c = IoFixtures.tinyConfig();
        ParamLayout layout = LlavaLayout.of(c);
        Tensor flat = flatOf(backend, IoFixtures.npy("random_flat.npy"));
        Path tok = Files.createDirectories(tmp.resolve("tok"));
        Files.write(tok.resolve("tokenizer.model"), new byte[] {1, 2, 3});
        Files.writeString(tok.resolve("tokenizer_config.json"), "{}");
        // -Dshare4v.io.keepDir=DIR keeps the output for src/test/python/check_safetensors.py (both backends write
        // the same bytes there)
        String keep = System.getProperty("share4v.io.keepDir");
        Path out = keep != null ? Path.of(keep) : tmp.resolve("out");
        CheckpointWriter.write(
                out, c, layout, backend, flat, new CheckpointWriter.Options(3000, DType.F32, tok, "vision_tower"));
        if (keep != null) {
            CheckpointWriter.write(
                    Path.of(keep + "-bf16"),
                    c,
                    layout,
                    backend,
                    flat,
                    new CheckpointWriter.Options(2500, DType.BF16, null, null));
        }

        assertEquals(c, HfConfigReader.readLlava(out, out.resolve("vision_tower")));
        assertEquals(
                c.visionTower(),
                JsonFile.read(out.resolve("config.json"), CheckpointException::new)
                        .string("mm_vision_tower"));
        Tensor back = layout.allocate(backend, io.share4v.tensor.DType.FLOAT);
        CheckpointLoader.load(out, out.resolve("vision_tower"), layout, backend, back);
        assertArrayEquals(Tensors.floats(flat), Tensors.floats(back));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve("tokenizer.model")));
        assertTrue(Files.exists(out.resolve("tokenizer_config.json")));
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
        assertEquals(
                "clip_vision_model",
                JsonFile.read(out.resolve("vision_tower/config.json"), CheckpointException::new)
                        .string("model_type"));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void doubleBuffersAreWrittenAsF32(String backendName, @TempDir Path tmp) throws IOException {
        Backend backend = Backends.create(backendName);
        LlavaConfig c = IoFixtures.tinyConfig();
        ParamLayout layout = LlavaLayout.of(c);
        Tensor flat = flatOf(backend, io.share4v.tensor.DType.DOUBLE, IoFixtures.expectedFlat());
        CheckpointWriter.write(
                tmp, c, layout, backend, flat, new CheckpointWriter.Options(2000, DType.F32, null, "vision_tower"));
        assertSameFiles(IoFixtures.path("writer-golden"), tmp, files(IoFixtures.path("writer-golden")));
    }

    @Test
    void bf16RoundingMatchesTorchOnEdgeCases() {
        // torch.tensor([...]).to(torch.bfloat16).view(torch.int16): ties go to even, NaN -> 0x7FC0
        assertEquals((short) 0x3F80, SafetensorsWriter.toBf16(1.0f));
        assertEquals((short) 0x3F80, SafetensorsWriter.toBf16(Float.intBitsToFloat(0x3F808000))); // tie, even down
        assertEquals((short) 0x3F82, SafetensorsWriter.toBf16(Float.intBitsToFloat(0x3F818000))); // tie, even up
        assertEquals((short) 0x3F81, SafetensorsWriter.toBf16(Float.intBitsToFloat(0x3F808001)));
        assertEquals((short) 0x7F80, SafetensorsWriter.toBf16(Float.POSITIVE_INFINITY));
        assertEquals((short) 0x7FC0, SafetensorsWriter.toBf16(Float.NaN));
    }
}
