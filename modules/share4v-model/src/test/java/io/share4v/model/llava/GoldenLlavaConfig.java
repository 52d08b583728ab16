package io.share4v.model.llava;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;

/** The configuration of the golden tiny LLaVA (golden/tiny/manifest.json; fixtures in {@code GoldenTiny}). */
final class GoldenLlavaConfig {
    private GoldenLlavaConfig() {}

    /** vision 32/64, 3 layers, 4 heads, image 42, patch 14 (9 patches); LLM V=512, C=64, F=172, 2 layers, 8/2 heads. */
    static LlavaConfig config() {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(512)
                .hiddenSize(64)
                .intermediateSize(172)
                .numLayers(2)
                .numHeads(8)
                .numKvHeads(2)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(256)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(32)
                .intermediateSize(64)
                .numLayers(3)
                .numHeads(4)
                .imageSize(42)
                .patchSize(14)
                .build();
        return LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", 32, 64))
                .visionTower("tiny-tower")
                .build();
    }
}
