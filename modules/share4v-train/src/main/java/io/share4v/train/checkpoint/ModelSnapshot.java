package io.share4v.train.checkpoint;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointWriter;
import io.share4v.model.io.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The model part of a checkpoint: the flat parameter buffer (in {@code backend}) with its layout and config,
 * the tokenizer directory whose files go beside the weights, and whether the vision tower trained. Weights are
 * saved as float32, the master weights as they are, so that a resumed run continues bit for bit (the reference
 * releases bfloat16, which a conversion can produce from these).
 *
 * @param towerTrained   true when (part of) the vision tower trained (stage 1): the tower is then saved as
 *                       {@value #TOWER_DIR}{@code /} and {@code mm_vision_tower} names that directory, relative to
 *                       the model directory, so the checkpoint and {@code final/} load without the original tower;
 *                       otherwise {@code mm_vision_tower} stays as the config gives it
 * @param tokenizerDir   directory with {@code tokenizer.model} (and the other tokenizer files present)
 * @param maxShardBytes  safetensors shard size limit ({@link CheckpointWriter#DEFAULT_MAX_SHARD_BYTES} as HF)
 */
public record ModelSnapshot(
        LlavaConfig config,
        ParamLayout layout,
        Backend backend,
        Tensor params,
        boolean towerTrained,
        Path tokenizerDir,
        long maxShardBytes) {
    /** The vision tower's subdirectory of a model directory, when it trained. */
    public static final String TOWER_DIR = CheckpointWriter.VISION_TOWER_DIR;

    public ModelSnapshot {
        require(
                params.rank() == 1 && params.length() == layout.totalSize(),
                "params",
                params,
                "a vector of the layout's " + layout.totalSize() + " elements");
        require(tokenizerDir != null, "tokenizer_dir", null, "a directory with tokenizer.model");
        require(maxShardBytes >= 1, "max_shard_bytes", maxShardBytes, ">= 1");
    }

    /** Writes the HF model directory {@code dir} (created when absent). */
    void writeTo(Path dir) throws IOException {
        LlavaConfig c = towerTrained ? config.withVisionTower(TOWER_DIR) : config;
        CheckpointWriter.write(
                dir,
                c,
                layout,
                backend,
                params,
                new CheckpointWriter.Options(maxShardBytes, DType.F32, tokenizerDir, towerTrained ? TOWER_DIR : null));
    }
}
