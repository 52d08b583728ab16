package io.share4v.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} / {@code --vision-tower} options every model command takes (a picocli mixin). */
final class ModelOptions {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "HF-layout LLaVA / ShareGPT4V directory (config.json, weights, optionally tokenizer.model).")
    Path model;

    @Option(
            names = "--vision-tower",
            paramLabel = "DIR",
            description = "Vision tower directory (default: resolved from the config's mm_vision_tower).")
    Path visionTower;

    ModelDir open() throws IOException {
        return ModelDir.open(model, visionTower);
    }
}
