package io.share4v.train.bench;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.TinyLlava;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The models the training benchmark trains, random with HF's initialisation ({@link TinyLlava#randomInit}) and
 * built here so that it needs no Python.
 *
 * <ul>
 *   <li>{@link #SMALL}: the "small LLaVA" of the model benchmarks ({@code bin/bench-model}, whose Python script
 *       writes the same shapes): LLaMA hidden 512, 8 heads, 4 layers, MLP 1376, vocab 32000, untied head; CLIP ViT
 *       224/14 (256 patches), hidden 256, 4 heads, MLP 1024, 4 layers; mlp2x_gelu projector; 49.2 M parameters.
 *       Stage 1 trains vision layers &gt;= 2, the upper half, as ShareGPT4V trains ViT-L's 12..23.
 *   <li>{@link #TINY}: {@link TinyLlava}'s (28-pixel images, 2 decoder layers) at vocabulary 32000, to check the
 *       harness itself in seconds; stage 1 trains vision layers &gt;= 1 as {@code conf/tiny-pretrain.yaml}.
 * </ul>
 */
enum BenchModel {
    SMALL(2),
    TINY(1);

    private static final int VOCAB = 32000;

    /** The first vision layer stage 1 trains. */
    final int tuneVitFromLayer;

    BenchModel(int tuneVitFromLayer) {
        this.tuneVitFromLayer = tuneVitFromLayer;
    }

    /** {@code small} or {@code tiny}. */
    String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static BenchModel parse(String name) {
        for (BenchModel m : values()) {
            if (m.configName().equals(name)) {
                return m;
            }
        }
        throw io.share4v.common.config.ConfigChecks.invalid("--model", name, "small or tiny");
    }

    LlavaConfig config() {
        return this == SMALL ? TinyLlava.small(VOCAB) : TinyLlava.config(VOCAB);
    }

    /** Image tokens (patches) per sample. */
    int imageTokens() {
        return config().imageTokens();
    }

    /**
     * Writes the model directory (config.json, model.safetensors, {@code vision_tower/}, the tokenizer files of
     * {@code tokenizerDir}), weights from {@code seed}.
     */
    void write(Path dir, Path tokenizerDir, long seed, Backend backend) throws IOException {
        TinyLlava.write(dir, config(), tokenizerDir, seed, backend);
    }
}
