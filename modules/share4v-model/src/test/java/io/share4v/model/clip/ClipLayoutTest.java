package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipLayoutTest {
    private static final String P = ClipLayout.PREFIX;

    @Test
    void tensorsAreInModelOrderWithCheckpointNamesAndShapes() {
        TinyClip t = TinyClip.standard();
        List<ParamLayout.Entry> e = t.layout.entries();
        assertEquals(P + "embeddings.class_embedding", e.get(0).name());
        assertArrayEquals(new long[] {8, 3, 4, 4}, e.get(1).shape());
        assertEquals(P + "embeddings.patch_embedding.weight", e.get(1).name());
        assertEquals(P + "embeddings.position_embedding.weight", e.get(2).name());
        assertArrayEquals(new long[] {5, 8}, e.get(2).shape());
        assertEquals(P + "pre_layrnorm.weight", e.get(3).name());
        assertEquals(P + "pre_layrnorm.bias", e.get(4).name());
        String[] layer0 = {
            "self_attn.k_proj.weight",
            "self_attn.k_proj.bias",
            "self_attn.v_proj.weight",
            "self_attn.v_proj.bias",
            "self_attn.q_proj.weight",
            "self_attn.q_proj.bias",
            "self_attn.out_proj.weight",
            "self_attn.out_proj.bias",
            "layer_norm1.weight",
            "layer_norm1.bias",
            "mlp.fc1.weight",
            "mlp.fc1.bias",
            "mlp.fc2.weight",
            "mlp.fc2.bias",
            "layer_norm2.weight",
            "layer_norm2.bias"
        };
        for (int i = 0; i < layer0.length; i++) {
            assertEquals(P + "encoder.layers.0." + layer0[i], e.get(5 + i).name());
        }
        assertArrayEquals(
                new long[] {12, 8},
                t.layout.entry(P + "encoder.layers.2.mlp.fc1.weight").shape());
        assertArrayEquals(
                new long[] {8, 12},
                t.layout.entry(P + "encoder.layers.2.mlp.fc2.weight").shape());
        int vision = 5 + 3 * 16 + 2;
        assertEquals(P + "post_layernorm.bias", e.get(vision - 1).name());
        assertEquals(
                List.of(
                        "model.mm_projector.0.weight",
                        "model.mm_projector.0.bias",
                        "model.mm_projector.2.weight",
                        "model.mm_projector.2.bias"),
                e.subList(vision, e.size()).stream()
                        .map(ParamLayout.Entry::name)
                        .toList());
        assertArrayEquals(new long[] {6, 8}, e.get(vision).shape());
        assertArrayEquals(new long[] {6, 6}, e.get(vision + 2).shape());
    }

    @Test
    void viewsWriteThroughToTheFlatBuffer() {
        TinyClip t = TinyClip.standard();
        Tensor flat = t.zeros(Backends.create("java"), DType.DOUBLE);
        ClipVisionParams p = ClipVisionParams.of(t.layout, t.vision, flat);
        Tensors.set(p.patchW.row(2), 17, 5.0); // channel 1, row 0, column 1 of out 2 is index 17 = 1*16 + 0*4 + 1
        Tensor conv = t.layout.view(flat, P + "embeddings.patch_embedding.weight");
        assertEquals(5.0, Tensors.get(conv.row(2).row(1).row(0), 1), 0.0);
        Tensors.set(p.layers[1].fc2B, 3, 7.0);
        assertEquals(
                7.0,
                Tensors.get(
                        flat,
                        t.layout.entry(P + "encoder.layers.1.mlp.fc2.bias").offset() + 3),
                0.0);
        ProjectorParams pp = ProjectorParams.of(t.layout, t.projector, flat);
        Tensors.set(pp.weight[1].row(0), 1, 9.0);
        assertEquals(
                9.0,
                Tensors.get(
                        flat,
                        t.layout.entry(ProjectorLayout.weight(t.projector, 1)).offset() + 1),
                0.0);
    }

    @Test
    void linearProjectorIsABareLinearWithoutSequentialIndex() {
        var linear = io.share4v.model.config.ProjectorConfig.of("linear", 32, 64);
        var layout = ProjectorLayout.add(io.share4v.tensor.ParamLayout.builder(), linear)
                .build();
        assertEquals(
                java.util.List.of("model.mm_projector.weight", "model.mm_projector.bias"),
                layout.entries().stream()
                        .map(io.share4v.tensor.ParamLayout.Entry::name)
                        .toList());
        var mlp = io.share4v.model.config.ProjectorConfig.of("mlp2x_gelu", 32, 64);
        assertEquals("model.mm_projector.2.bias", ProjectorLayout.bias(mlp, 1));
    }

    @Test
    void trainableScopes() {
        assertTrue(ClipTrainable.all().trains(P + "embeddings.class_embedding"));
        assertFalse(ClipTrainable.all().trains(P + "post_layernorm.weight"));
        ClipTrainable stage1 = ClipTrainable.fromLayer(12);
        assertFalse(stage1.trains(P + "pre_layrnorm.weight"));
        assertFalse(stage1.trains(P + "encoder.layers.11.mlp.fc1.weight"));
        assertTrue(stage1.trains(P + "encoder.layers.12.mlp.fc1.weight"));
        assertTrue(stage1.trains(P + "encoder.layers.23.layer_norm2.bias"));
        assertFalse(ClipTrainable.frozen().trains(P + "encoder.layers.23.layer_norm2.bias"));
        assertThrows(IllegalArgumentException.class, () -> ClipTrainable.fromLayer(-1));
    }

    @Test
    void planFromLlavaConfigSelectsTheSecondToLastEntry() {
        ClipVisionConfig v = ClipVisionConfig.builder()
                .hiddenSize(1024)
                .intermediateSize(4096)
                .numLayers(24)
                .numHeads(16)
                .imageSize(336)
                .patchSize(14)
                .build();
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(32000)
                .hiddenSize(64)
                .intermediateSize(128)
                .numLayers(2)
                .numHeads(4)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(4096)
                .padTokenId(0)
                .build();
        LlavaConfig cfg = LlavaConfig.builder()
                .llm(llm)
                .vision(v)
                .projector(ProjectorConfig.of("mlp2x_gelu", 1024, 64))
                .visionTower("vit")
                .build();
        ClipVisionPlan plan = ClipVisionPlan.of(cfg, ClipTrainable.fromLayer(12), false);
        assertEquals(23, plan.layersUsed());
        assertEquals(576, plan.featureRows());
        assertEquals(12, plan.lowestBackwardLayer());
        assertTrue(plan.hasBackward());
    }

    @Test
    void batchBeyondCapacityIsAnError() {
        TinyClip t = TinyClip.standard();
        Backend backend = Backends.create("java");
        ClipActivations a = new ClipActivations(
                new ClipVisionPlan(t.vision, 2, false, ClipTrainable.all(), false), 2, backend, DType.FLOAT);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ClipVision.forward(
                        a,
                        ClipVisionParams.of(t.layout, t.vision, t.zeros(backend, DType.FLOAT)),
                        t.randomImages(backend, DType.FLOAT, 3, 1),
                        backend.kernels()));
        assertTrue(e.getMessage().contains("capacity of 2"), e.getMessage());
    }
}
