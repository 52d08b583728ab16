package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.model.GoldenTiny;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden tiny model (golden/tiny, written by make_llava_golden.py with torch 1.13) in every checkpoint
 * layout loads to its F32 weights: exactly from F32 files, within the storage dtype's rounding from the
 * BF16/F16 ones, on both host backends.
 */
class GoldenCheckpointTest {
    private static Path golden(String rel) {
        return GoldenTiny.FIXTURES.path(rel);
    }

    private static LlavaConfig config() {
        return GoldenTiny.config();
    }

    /** The golden weights, tensor by tensor, in layout order. */
    private static float[] expected(ParamLayout layout) {
        Tensor flat = layout.allocate(Tensors.java(), DType.FLOAT);
        GoldenTiny.FIXTURES.weightsInto(layout, flat);
        return Tensors.floats(flat);
    }

    static Stream<Arguments> layouts() {
        return HostBackends.each(List.of(
                // F32 single file, tower ../clip-vision-model (.bin)
                Arguments.of("llava-safetensors", 0.0),
                // F32/BF16/F16 mixed shards: BF16 keeps 8 significant bits
                Arguments.of("llava-sharded", 0.00390625),
                // pytorch_model.bin F32 with inv_freq buffers; tower ../clip-model
                Arguments.of("llava-bin", 0.0)));
    }

    private static void assertClose(float[] want, float[] got, double relTol, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            // F16 subnormals (|x| < 6.1e-5) keep an absolute, not relative, precision of 2^-24
            double tol = relTol == 0 ? 0 : Math.max(relTol * Math.abs(want[i]), 0x1p-24);
            if (Math.abs(want[i] - got[i]) > tol) {
                throw new AssertionError(
                        what + ": element " + i + " = " + got[i] + ", expected " + want[i] + " within " + tol);
            }
        }
    }

    @Test
    void configMatchesTheGoldenModel() throws IOException {
        LlavaConfig c = config();
        assertEquals(64, c.llm().hiddenSize());
        assertEquals(2, c.llm().numKvHeads());
        assertEquals(10000.0, c.llm().ropeTheta());
        assertEquals(32, c.vision().hiddenSize());
        assertEquals(9, c.imageTokens());
        assertEquals(c.vision(), HfConfigReader.readVision(golden("checkpoints/clip-model")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("layouts")
    void everyGoldenLayoutLoads(String backendName, String dir, double relTol) throws IOException {
        Backend backend = Backends.create(backendName);
        ParamLayout layout = LlavaLayout.of(config());
        Tensor flat = layout.allocate(backend, DType.FLOAT);
        CheckpointLoader.load(golden("checkpoints/" + dir), null, layout, backend, flat);
        assertClose(expected(layout), Tensors.floats(flat), relTol, dir);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void shardedBf16BinAndStageOneProjector(String backendName) throws IOException {
        Backend backend = Backends.create(backendName);
        ParamLayout layout = LlavaLayout.of(config());
        Tensor flat = layout.allocate(backend, DType.FLOAT);
        CheckpointLoader.load(
                List.of(
                        new CheckpointLoader.Source(
                                golden("checkpoints/llava-bin/pytorch_model.bin.index.json"),
                                CheckpointNames.Role.MODEL),
                        new CheckpointLoader.Source(
                                golden("checkpoints/clip-model"), CheckpointNames.Role.VISION_TOWER)),
                layout,
                backend,
                flat,
                n -> false);
        assertClose(expected(layout), Tensors.floats(flat), 1.0 / 256, "bf16 shards");

        Tensor proj = layout.allocate(backend, DType.FLOAT);
        CheckpointLoader.load(
                List.of(new CheckpointLoader.Source(
                        golden("checkpoints/mm_projector.bin"), CheckpointNames.Role.PROJECTOR)),
                layout,
                backend,
                proj,
                n -> !n.startsWith(ProjectorLayout.PREFIX));
        for (String n : List.of(
                "model.mm_projector.0.weight",
                "model.mm_projector.0.bias",
                "model.mm_projector.2.weight",
                "model.mm_projector.2.bias")) {
            assertClose(
                    GoldenTiny.FIXTURES.floats("weights/" + n + ".npy"), Tensors.floats(layout.view(proj, n)), 0, n);
        }
    }
}
