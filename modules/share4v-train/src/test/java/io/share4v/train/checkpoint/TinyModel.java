package io.share4v.train.checkpoint;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny LLaVA with random weights and a stand-in tokenizer directory, for checkpoint tests. */
final class TinyModel {
    static final Backend BACKEND = Tensors.java();
    static final LlavaConfig CONFIG = config();
    static final ParamLayout LAYOUT = LlavaLayout.of(CONFIG);

    private TinyModel() {}

    /** Weights drawn from {@code seed}: different seeds give different models. */
    static Tensor weights(long seed) {
        return Tensors.gaussian(BACKEND, DType.FLOAT, seed, 0.1, LAYOUT.totalSize());
    }

    static ModelSnapshot snapshot(Tensor weights, Path tokenizerDir, boolean towerTrained) {
        return new ModelSnapshot(CONFIG, LAYOUT, BACKEND, weights, towerTrained, tokenizerDir, 16_000);
    }

    /** A directory with the one tokenizer file the writer requires (its content is not parsed here). */
    static Path tokenizerDir(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("tokenizer"));
        Files.write(dir.resolve("tokenizer.model"), new byte[] {7, 8, 9});
        Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        return dir;
    }

    private static LlavaConfig config() {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(64)
                .hiddenSize(16)
                .intermediateSize(24)
                .numLayers(1)
                .numHeads(2)
                .numKvHeads(2)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(64)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(8)
                .intermediateSize(16)
                .numLayers(2)
                .numHeads(2)
                .imageSize(28)
                .patchSize(14)
                .build();
        return LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", 8, 16))
                .visionTower("openai/clip-vit-large-patch14-336")
                .build();
    }
}
