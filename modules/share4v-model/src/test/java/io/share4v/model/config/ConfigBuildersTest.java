package io.share4v.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.share4v.data.image.AspectMode;
import io.share4v.tensor.ops.Activation;
import org.junit.jupiter.api.Test;

/** The builders fill the documented defaults and leave every check to the records' constructors. */
class ConfigBuildersTest {
    @Test
    void llamaDefaultsAreHfDefaultsForOmittedKeys() {
        LlamaConfig c = LlamaConfig.builder()
                .vocabSize(40)
                .hiddenSize(16)
                .intermediateSize(24)
                .numLayers(2)
                .numHeads(4)
                .rmsNormEps(1e-5)
                .build();
        assertEquals(new LlamaConfig(40, 16, 24, 2, 4, 4, 1e-5, 10000.0, 2048, Activation.SILU, false, 1, 2, -1), c);
    }

    @Test
    void unsetSizesFailTheRecordCheckNamingTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LlamaConfig.builder()
                        .vocabSize(40)
                        .intermediateSize(24)
                        .numLayers(2)
                        .numHeads(4)
                        .rmsNormEps(1e-5)
                        .build());
        assertEquals("hidden_size = 0 is invalid: expected >= 1", e.getMessage());
    }

    @Test
    void clipAndLlavaDefaults() {
        ClipVisionConfig v = ClipVisionConfig.builder()
                .hiddenSize(32)
                .intermediateSize(64)
                .numLayers(3)
                .numHeads(4)
                .imageSize(42)
                .patchSize(14)
                .build();
        assertEquals(new ClipVisionConfig(32, 64, 3, 4, 42, 14, 3, Activation.QUICK_GELU, 1e-5), v);
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(40)
                .hiddenSize(16)
                .intermediateSize(24)
                .numLayers(2)
                .numHeads(4)
                .rmsNormEps(1e-5)
                .build();
        ProjectorConfig p = ProjectorConfig.of("mlp2x_gelu", 32, 16);
        assertEquals(
                new LlavaConfig(
                        "share4v", llm, v, p, -2, VisionSelectFeature.PATCH, AspectMode.PAD, false, false, "tower"),
                LlavaConfig.builder()
                        .llm(llm)
                        .vision(v)
                        .projector(p)
                        .visionTower("tower")
                        .build());
        assertThrows(
                NullPointerException.class,
                () -> LlavaConfig.builder().llm(llm).projector(p).build());
    }
}
