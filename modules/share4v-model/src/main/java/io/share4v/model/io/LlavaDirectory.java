package io.share4v.model.io;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HF-layout LLaVA / ShareGPT4V directory opened for inference: its config (with the vision tower from
 * {@code mm_vision_tower} or an override) and models of a given capacity with the checkpoint loaded into their
 * flat parameter buffer. The one way the commands, the evaluation runners and the Spark jobs open a model.
 */
public record LlavaDirectory(Path dir, Path visionTower, LlavaConfig config) {
    private static final Logger LOG = LoggerFactory.getLogger(LlavaDirectory.class);

    /**
     * Reads {@code dir/config.json}; {@code visionTowerOverride} may be null. Errors name the directory and say what
     * is missing.
     */
    public static LlavaDirectory open(Path dir, Path visionTowerOverride) throws IOException {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("model directory " + dir
                    + " has no config.json (expected an HF-layout LLaVA / ShareGPT4V directory)");
        }
        if (!HfConfigReader.isLlava(dir)) {
            throw new IllegalArgumentException("model directory " + dir + ": config.json is not a LLaVA model (no"
                    + " mm_vision_tower, model_type not share4v/llava)");
        }
        return new LlavaDirectory(dir, visionTowerOverride, HfConfigReader.readLlava(dir, visionTowerOverride));
    }

    /** A model with {@code options}' capacity and this directory's weights, in {@code backend}'s memory. */
    public LlavaModel load(LlavaModel.Options options, Backend backend) throws IOException {
        LlavaModel m = new LlavaModel(config, options, backend);
        CheckpointLoader.load(dir, visionTower, m.layout(), backend, m.params());
        LOG.info("backend {}, kernels {}", backend.name(), m.kernels().name());
        return m;
    }

    /** Whether the directory has the SentencePiece model prompts need. */
    public boolean hasTokenizer() {
        return Files.isRegularFile(dir.resolve("tokenizer.model"));
    }
}
