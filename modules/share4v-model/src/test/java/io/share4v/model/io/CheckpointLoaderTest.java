package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real layout of the tiny LLaVA loads to the same flat buffer (values k/64 are exact in F16/BF16), on both
 * host backends.
 */
class CheckpointLoaderTest {
    private static final Backend JAVA = Tensors.java();

    static Stream<Arguments> layouts() {
        return HostBackends.each(List.of(
                // single safetensors F32, hub id overridden; tower .bin
                Arguments.of("llava-st-f32", "tower-clipvision"),
                // F16, tower = ../tower-clipmodel relative path (CLIPModel, text ignored)
                Arguments.of("llava-st-f16", null),
                // 6 BF16 shards + index, tower = ../tower-clipvision
                Arguments.of("llava-st-bf16-sharded", null),
                // torch.save zip, with rotary inv_freq buffers
                Arguments.of("llava-bin", "tower-clipmodel"),
                // 3 F16 .bin shards + index
                Arguments.of("llava-bin-sharded", "tower-clipvision")));
    }

    private static double sum(Tensor t) {
        return Arrays.stream(Tensors.doubles(t)).sum();
    }

    @Test
    void layoutOrderAndShapesMatchTheReferenceNames() throws IOException {
        ParamLayout layout = IoFixtures.tinyLayout();
        List<String> lines = Files.readAllLines(IoFixtures.path("layout_names.txt"));
        assertEquals(lines.size(), layout.entries().size());
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            ParamLayout.Entry e = layout.entries().get(i);
            assertEquals(parts[0], e.name());
            long[] shape = java.util.Arrays.stream(parts[1].split(","))
                    .mapToLong(Long::parseLong)
                    .toArray();
            assertArrayEquals(shape, e.shape(), e.name());
        }
    }

    @ParameterizedTest(name = "{0}: {1} + {2}")
    @MethodSource("layouts")
    void everyLayoutLoadsTheSameValues(String backendName, String dir, String tower) throws IOException {
        Backend backend = Backends.create(backendName);
        ParamLayout layout = IoFixtures.tinyLayout();
        Tensor flat = layout.allocate(backend, DType.FLOAT);
        CheckpointLoader.Report r = CheckpointLoader.load(
                IoFixtures.path(dir), tower == null ? null : IoFixtures.path(tower), layout, backend, flat);
        assertEquals(layout.entries().size(), r.loaded().size());
        assertArrayEquals(IoFixtures.expectedFlat(), Tensors.floats(flat), dir);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void loadsIntoDoubleBuffers(String backendName) throws IOException {
        Backend backend = Backends.create(backendName);
        ParamLayout layout = IoFixtures.tinyLayout();
        Tensor flat = layout.allocate(backend, DType.DOUBLE);
        CheckpointLoader.load(IoFixtures.path("llava-st-bf16-sharded"), null, layout, backend, flat);
        float[] want = IoFixtures.expectedFlat();
        double[] got = Tensors.doubles(flat);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 0.0, "element " + i);
        }
    }

    @Test
    void stageTwoInitFromVicunaTowerAndStageOneProjector() throws IOException {
        ParamLayout layout = IoFixtures.tinyLayout();
        Tensor flat = layout.allocate(JAVA, DType.FLOAT);
        CheckpointLoader.Report r = CheckpointLoader.load(
                List.of(
                        new CheckpointLoader.Source(IoFixtures.path("vicuna-bin"), CheckpointNames.Role.MODEL),
                        new CheckpointLoader.Source(
                                IoFixtures.path("tower-clipmodel"), CheckpointNames.Role.VISION_TOWER),
                        new CheckpointLoader.Source(
                                IoFixtures.path("mm_projector.bin"), CheckpointNames.Role.PROJECTOR)),
                layout,
                JAVA,
                flat,
                n -> false);
        assertArrayEquals(IoFixtures.expectedFlat(), Tensors.floats(flat));
        assertTrue(r.ignored().stream().anyMatch(s -> s.startsWith("model.layers.0.self_attn.rotary_emb.inv_freq")));
        assertTrue(r.ignored().stream().anyMatch(s -> s.startsWith("text_model.embeddings.token_embedding.weight")));
        assertTrue(r.ignored().stream().anyMatch(s -> s.startsWith("logit_scale")));
    }

    @Test
    void stageOneInitLeavesTheProjectorToTheCaller() throws IOException {
        ParamLayout layout = IoFixtures.tinyLayout();
        Tensor flat = layout.allocate(JAVA, DType.FLOAT);
        CheckpointLoader.Report r = CheckpointLoader.load(
                List.of(
                        new CheckpointLoader.Source(IoFixtures.path("vicuna-bin"), CheckpointNames.Role.MODEL),
                        new CheckpointLoader.Source(
                                IoFixtures.path("tower-clipvision"), CheckpointNames.Role.VISION_TOWER)),
                layout,
                JAVA,
                flat,
                n -> n.startsWith(ProjectorLayout.PREFIX));
        assertEquals(layout.entries().size() - 4, r.loaded().size());
        assertEquals(0.0, sum(layout.view(flat, "model.mm_projector.0.weight")));
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> CheckpointLoader.load(
                        List.of(
                                new CheckpointLoader.Source(IoFixtures.path("vicuna-bin"), CheckpointNames.Role.MODEL),
                                new CheckpointLoader.Source(
                                        IoFixtures.path("tower-clipvision"), CheckpointNames.Role.VISION_TOWER)),
                        layout,
                        JAVA,
                        layout.allocate(JAVA, DType.FLOAT),
                        n -> false));
        assertTrue(e.getMessage().contains("4 missing tensor(s): [model.mm_projector.0.weight"), e.getMessage());
    }

    @Test
    void missingUnexpectedAndMisShapedTensorsAreAllReported(@TempDir Path tmp) throws IOException {
        // A layout whose LLM is one layer deeper and whose vocab differs: the checkpoint lacks layer 2 and
        // has mis-shaped embeddings; a layout without the projector makes its tensors unexpected.
        var c = IoFixtures.tinyConfig();
        var llm = c.llm();
        var bigger = new io.share4v.model.config.LlamaConfig(
                llm.vocabSize() + 1,
                llm.hiddenSize(),
                llm.intermediateSize(),
                llm.numLayers() + 1,
                llm.numHeads(),
                llm.numKvHeads(),
                llm.rmsNormEps(),
                llm.ropeTheta(),
                llm.maxPositionEmbeddings(),
                llm.hiddenAct(),
                false,
                1,
                2,
                0);
        ParamLayout.Builder b = ParamLayout.builder();
        io.share4v.model.clip.ClipLayout.add(b, c.vision());
        io.share4v.model.llama.LlamaLayout.add(b, bigger);
        ParamLayout layout = b.build();
        Tensor flat = layout.allocate(JAVA, DType.FLOAT);
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> CheckpointLoader.load(
                        IoFixtures.path("llava-st-f32"), IoFixtures.path("tower-clipvision"), layout, JAVA, flat));
        String m = e.getMessage();
        assertTrue(m.contains("missing tensor(s): [model.layers.2.self_attn.q_proj.weight"), m);
        assertTrue(m.contains("unexpected tensor model.mm_projector.0.weight"), m);
        assertTrue(m.contains("shape mismatch for model.embed_tokens.weight: checkpoint "), m);
        assertTrue(m.contains("has [40, 12], the model expects [41, 12]"), m);
        assertEquals(0.0, sum(flat), "nothing is copied when the match fails");
    }

    @Test
    void towerSavedInsideTheModelAndInTheTowerDirIsADuplicate() throws IOException {
        ParamLayout layout = IoFixtures.tinyLayout();
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> CheckpointLoader.load(
                        List.of(
                                new CheckpointLoader.Source(
                                        IoFixtures.path("tower-clipvision"), CheckpointNames.Role.VISION_TOWER),
                                new CheckpointLoader.Source(
                                        IoFixtures.path("tower-clipmodel"), CheckpointNames.Role.VISION_TOWER),
                                new CheckpointLoader.Source(IoFixtures.path("llava-bin"), CheckpointNames.Role.MODEL)),
                        layout,
                        JAVA,
                        layout.allocate(JAVA, DType.FLOAT),
                        n -> false));
        assertTrue(e.getMessage().contains("is provided twice"), e.getMessage());
    }
}
