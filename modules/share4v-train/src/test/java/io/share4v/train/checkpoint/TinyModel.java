package io.share4v.train.checkpoint;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.model.llava.TinyLlava;
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

    /** The project's tiny ShareGPT4V with a 64-id vocabulary (small safetensors) and a hub id as its tower. */
    private static LlavaConfig config() {
        return TinyLlava.config(64).withVisionTower("openai/clip-vit-large-patch14-336");
    }
}
