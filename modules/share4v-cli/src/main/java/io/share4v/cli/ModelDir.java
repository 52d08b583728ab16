package io.share4v.cli;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HF-layout LLaVA / ShareGPT4V directory opened for the model commands: its config (with the vision tower
 * from {@code mm_vision_tower} or an override) and a model of a given capacity with the checkpoint loaded into
 * its flat parameter buffer.
 */
record ModelDir(Path dir, Path visionTower, LlavaConfig config) {
    private static final Logger LOG = LoggerFactory.getLogger(ModelDir.class);

    static ModelDir open(Path dir, Path visionTowerOverride) throws IOException {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException(
                    "--model " + dir + " has no config.json (expected an HF-layout" + " LLaVA / ShareGPT4V directory)");
        }
        if (!HfConfigReader.isLlava(dir)) {
            throw new IllegalArgumentException("--model " + dir + "/config.json is not a LLaVA model (no"
                    + " mm_vision_tower, model_type not share4v/llava)");
        }
        return new ModelDir(dir, visionTowerOverride, HfConfigReader.readLlava(dir, visionTowerOverride));
    }

    /** A model with {@code options}' capacity and this directory's weights, in {@code backend}'s memory. */
    LlavaModel load(LlavaModel.Options options, Backend backend) throws IOException {
        LlavaModel m = new LlavaModel(config, options, backend);
        CheckpointLoader.load(dir, visionTower, m.layout(), backend, m.params());
        LOG.info("backend {}, kernels {}", backend.name(), m.kernels().name());
        return m;
    }
}
