package io.share4v.train.run;

import io.share4v.data.Tokens;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardRow;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.CheckpointNames;
import io.share4v.model.io.CheckpointWriter;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.checkpoint.ModelSnapshot;
import io.share4v.train.config.Stage;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.data.ShardManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The model one rank trains: its architecture and starting weights from the stage's sources, and its capacity from
 * the shards.
 *
 * <p><b>Weights.</b> Stage 1 ({@code pretrain}) loads the LLM directory ({@code model.llm}, a Vicuna / LLaMA
 * directory), the vision tower directory ({@code model.vision_tower}) and the projector from
 * {@code model.pretrain_mm_mlp_adapter} (LLaVA-1.5's {@code mm_projector.bin}); when the adapter is null the
 * projector must be in the LLM directory itself (a LLaVA directory such as the tiny random model, whose projector
 * then starts training from its own weights). The architecture is the LLM's config, the tower's config and the
 * run's {@code mm_projector_type} / {@code mm_vision_select_layer}. Stage 2 ({@code finetune}) loads the stage-1
 * checkpoint directory ({@code model.llm}: LLM + projector, its {@code config.json} gives the architecture) with
 * the tower of {@code model.vision_tower} (the stage-1 checkpoint's {@code vision_tower/}); its snapshots name that
 * tower by absolute path, since stage 2 does not save the frozen tower. Loading is deterministic, so every rank
 * holds the same weights; {@link ParameterCheck} verifies it.
 *
 * <p><b>Capacity.</b> A micro-batch holds {@code per_device_batch_size} samples; its spliced length (text after
 * the collator's truncation to {@code model_max_length}, each image placeholder expanded to the model's image
 * tokens) is bounded by the longest row of the shards, scanned once at startup without the image column. That is
 * never more than the reference's bound {@code model_max_length - 1 + image tokens} for one image per sample, and
 * usually far less, which keeps the activation buffers small. Images per micro-batch: micro-batch size times the
 * most images of any row. The held-out split ({@code data.eval_shards}) is scanned too, so that the validation's
 * forward passes fit the same buffers.
 */
final class RunModel {
    /** Longest spliced sequence and most images of any row, from the shards. */
    record Capacity(int longestSequence, int mostImagesPerRow) {}

    private final LlavaModel model;
    private final Path tokenizerDir;
    private final boolean towerTrained;

    private RunModel(LlavaModel model, Path tokenizerDir, boolean towerTrained) {
        this.model = model;
        this.tokenizerDir = tokenizerDir;
        this.towerTrained = towerTrained;
    }

    /** The model's architecture for {@code config}'s stage (read from the source directories). */
    static LlavaConfig architecture(TrainConfig config) throws IOException {
        Path llm = Path.of(config.model().llm());
        Path tower = Path.of(config.model().visionTower()).toAbsolutePath().normalize();
        if (config.stage() == Stage.FINETUNE) {
            LlavaConfig c = HfConfigReader.readLlava(llm, tower);
            return LlavaConfig.builder()
                    .modelType(c.modelType())
                    .llm(c.llm())
                    .vision(c.vision())
                    .projector(c.projector())
                    .visionSelectLayer(c.visionSelectLayer())
                    .visionSelectFeature(c.visionSelectFeature())
                    .imageAspectRatio(config.data().imageAspectRatio())
                    .useImStartEnd(c.useImStartEnd())
                    .useImPatchToken(c.useImPatchToken())
                    .visionTower(tower.toString())
                    .build();
        }
        LlamaConfig llmConfig = HfConfigReader.readLlama(llm);
        ClipVisionConfig vision = HfConfigReader.readVision(tower);
        return LlavaConfig.builder()
                .llm(llmConfig)
                .vision(vision)
                .projector(ProjectorConfig.of(
                        config.model().mmProjectorType(), vision.hiddenSize(), llmConfig.hiddenSize()))
                .visionSelectLayer(config.model().mmVisionSelectLayer())
                .imageAspectRatio(config.data().imageAspectRatio())
                .visionTower(tower.toString())
                .build();
    }

    /** Builds the model on the run's backend and loads the stage's starting weights. */
    static RunModel load(TrainConfig config, LlavaConfig architecture, Capacity capacity) throws IOException {
        Backend backend = Backends.create(config.run().backend());
        int micro = config.batch().perDeviceBatchSize();
        LlavaModel.Options options = new LlavaModel.Options(
                micro,
                Math.max(2, capacity.longestSequence()),
                micro * capacity.mostImagesPerRow(),
                config.run().recompute(),
                DType.FLOAT,
                config.trainable());
        LlavaModel model = new LlavaModel(architecture, options, backend);
        Path llm = Path.of(config.model().llm());
        Path tower = Path.of(config.model().visionTower());
        if (config.stage() == Stage.FINETUNE) {
            CheckpointLoader.load(llm, tower, model.layout(), backend, model.params());
        } else {
            List<CheckpointLoader.Source> sources = new ArrayList<>();
            sources.add(new CheckpointLoader.Source(llm, CheckpointNames.Role.MODEL));
            sources.add(new CheckpointLoader.Source(tower, CheckpointNames.Role.VISION_TOWER));
            String adapter = config.model().pretrainMmMlpAdapter();
            if (adapter != null) {
                sources.add(new CheckpointLoader.Source(Path.of(adapter), CheckpointNames.Role.PROJECTOR));
            }
            CheckpointLoader.load(sources, model.layout(), backend, model.params(), name -> false);
        }
        return new RunModel(model, llm, config.stage() == Stage.PRETRAIN);
    }

    /**
     * Scans every row of the shard directories (ids only) for the longest spliced sequence and the most images of a
     * row after truncation to {@code modelMaxLength}; {@code imageTokens} is the model's patch count per image.
     */
    static Capacity scan(List<ShardManifest> manifests, Configuration conf, int modelMaxLength, int imageTokens)
            throws IOException {
        int longest = 2;
        int images = 0;
        for (ShardManifest.Shard shard :
                manifests.stream().flatMap(m -> m.shards().stream()).toList()) {
            try (ShardReader reader = ShardReader.open(shard.path(), conf, false)) {
                for (ShardRow row = reader.next(); row != null; row = reader.next()) {
                    int text = Math.min(row.inputIds().length, modelMaxLength);
                    int rowImages = 0;
                    for (int t = 0; t < text; t++) {
                        if (row.inputIds()[t] == Tokens.IMAGE_TOKEN_INDEX) {
                            rowImages++;
                        }
                    }
                    longest = Math.max(longest, text - rowImages + rowImages * imageTokens);
                    images = Math.max(images, rowImages);
                }
            }
        }
        return new Capacity(longest, images);
    }

    /** The collator's image preprocessing for this model: CLIP's, at the tower's image size, the run's aspect. */
    static ClipImageProcessor.Config imageConfig(TrainConfig config, LlavaConfig architecture) {
        return ClipImageProcessor.Config.clip336(config.data().imageAspectRatio())
                .withSize(architecture.vision().imageSize());
    }

    LlavaModel model() {
        return model;
    }

    /** The LLM directory: its tokenizer files go into every saved model. */
    Path tokenizerDir() {
        return tokenizerDir;
    }

    /** The model as it is now, for a checkpoint ({@code vision_tower/} saved when stage 1 trains the tower). */
    ModelSnapshot snapshot() {
        return new ModelSnapshot(
                model.config(),
                model.layout(),
                model.backend(),
                model.params(),
                towerTrained,
                tokenizerDir,
                CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    }
}
