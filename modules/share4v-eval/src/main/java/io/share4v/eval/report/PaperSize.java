package io.share4v.eval.report;

import io.share4v.common.json.JsonFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which published row ours is compared with, and how that was decided. The size is the language model's: the
 * {@code hidden_size} of the evaluated model's {@code config.json} (4096 is 7B, 5120 is 13B). When the model
 * directory is not readable where the report is made, or its hidden size is neither, the size is unknown and the
 * report gives the difference to both rows.
 *
 * @param size   the size, or null when unknown
 * @param source how it was decided (or why it is unknown), for the report
 */
public record PaperSize(ModelSize size, String source) {
    public PaperSize {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a paper size needs the reason it was chosen");
        }
    }

    /** The size of the model in {@code modelDir} (run.json's {@code model}). */
    public static PaperSize of(Path modelDir) {
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return new PaperSize(null, config + " is not readable here: size unknown, compared with both rows");
        }
        JsonFile json = ReportFiles.json(config, "the evaluated model's configuration");
        int hidden = json.integer("hidden_size");
        ModelSize size = ModelSize.ofHiddenSize(hidden);
        if (size == null) {
            return new PaperSize(
                    null,
                    config + ": hidden_size " + hidden + " is neither 7B's " + ModelSize.SEVEN_B.hiddenSize()
                            + " nor 13B's " + ModelSize.THIRTEEN_B.hiddenSize()
                            + ": size unknown, compared with both rows");
        }
        return new PaperSize(size, config + ": hidden_size " + hidden + " is " + size.label());
    }

    /** The sizes ours is compared with: the known one, or both. */
    public List<ModelSize> compared() {
        return size == null ? List.of(ModelSize.values()) : List.of(size);
    }
}
