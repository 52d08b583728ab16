package io.share4v.cli;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;

/** The {@code --model} directory of a model command: a {@link LlavaDirectory} whose errors name the option. */
record ModelDir(LlavaDirectory directory) {
    static ModelDir open(Path dir, Path visionTowerOverride) throws IOException {
        try {
            return new ModelDir(LlavaDirectory.open(dir, visionTowerOverride));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return directory.dir();
    }

    Path visionTower() {
        return directory.visionTower();
    }

    LlavaConfig config() {
        return directory.config();
    }

    LlavaModel load(LlavaModel.Options options, Backend backend) throws IOException {
        return directory.load(options, backend);
    }
}
