package io.share4v.train.config;

import static io.share4v.common.config.ConfigChecks.require;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.share4v.common.config.ConfigName;
import io.share4v.common.config.KeyTree;
import io.share4v.common.config.LayeredConfig;
import io.share4v.common.config.StrictYaml;
import io.share4v.data.image.AspectMode;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.plan.BatchPlan;
import io.share4v.train.plan.LastBatch;
import io.share4v.train.schedule.LrSchedule;
import io.share4v.train.schedule.LrScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The immutable, validated settings of one training run ({@code conf/pretrain-7b.yaml} and friends). Resolved as
 * every job config is ({@link LayeredConfig}): {@link #defaults()} &lt;- YAML file &lt;- typed options &lt;-
 * {@code --set key=value}, later layers winning key by key. The YAML groups keys ({@code batch:
 * {global_batch_size: 256}}); options and {@code --set} name them dotted ({@code batch.global_batch_size=256}).
 * Unknown keys, wrong types and out-of-range values are errors naming the key; paths a run needs are checked by
 * {@link #validatedForRun()}, so that a conf file with placeholders still loads. The resolved config
 * ({@link #asYaml()}) goes into every checkpoint.
 */
public record TrainConfig(
        Stage stage,
        ModelInputs model,
        DataConfig data,
        BatchConfig batch,
        OptimizerConfig optimizer,
        LossConfig loss,
        RunConfig run,
        CollectiveConfig collective) {

    private static final String NAME = "train config";
    private static final LayeredConfig<TrainConfig> LAYERS =
            new LayeredConfig<>(NAME, TrainConfig.class, TrainConfig::defaults);
    private static final TypeReference<LinkedHashMap<String, Object>> KEY_MAP = new TypeReference<>() {};
    private static final Set<String> YAML_NULLS = Set.of("null", "Null", "NULL", "~");

    public TrainConfig {
        ConfigName.requirePresent(stage, Stage.class, "stage");
        require(
                model != null && data != null && batch != null && optimizer != null,
                "config groups",
                null,
                "model, data, batch and optimizer");
        require(loss != null && run != null && collective != null, "config groups", null, "loss, run and collective");
        if (stage == Stage.PRETRAIN) {
            require(
                    model.tuneVitFromLayer() != null,
                    "model.tune_vit_from_layer",
                    null,
                    "the first trained vision layer in stage pretrain (the reference: 12)");
        } else {
            require(
                    model.tuneVitFromLayer() == null,
                    "model.tune_vit_from_layer",
                    model.tuneVitFromLayer(),
                    "null in stage finetune (the reference freezes the vision tower)");
            require(
                    model.pretrainMmMlpAdapter() == null,
                    "model.pretrain_mm_mlp_adapter",
                    model.pretrainMmMlpAdapter(),
                    "null in stage finetune (the projector comes from model.llm)");
        }
        require(
                run.evalEvery() == null || !data.evalShards().isEmpty(),
                "run.eval_every",
                run.evalEvery(),
                "null unless data.eval_shards names a held-out split");
        require(
                run.stopAfter() == null || optimizer.maxSteps() == null || run.stopAfter() <= optimizer.maxSteps(),
                "run.stop_after",
                run.stopAfter(),
                "<= optimizer.max_steps = " + optimizer.maxSteps());
    }

    /** Every key with its default (null: no default, the conf file or an override must give it), dotted. */
    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stage", null);
        d.put("model.llm", null);
        d.put("model.vision_tower", null);
        d.put("model.pretrain_mm_mlp_adapter", null);
        d.put("model.mm_projector_type", "mlp2x_gelu");
        d.put("model.mm_vision_select_layer", -2);
        d.put("model.tune_vit_from_layer", null);
        d.put("data.shards", List.of());
        d.put("data.eval_shards", List.of());
        d.put("data.template", null);
        d.put("data.model_max_length", 2048);
        d.put("data.image_aspect_ratio", AspectMode.SQUARE.configName()); // the reference's dataclass default
        d.put("data.group_by_modality_length", false);
        d.put("data.decode_threads", 4);
        d.put("batch.global_batch_size", null);
        d.put("batch.per_device_batch_size", null);
        d.put("batch.workers", 1);
        d.put("batch.last_batch", LastBatch.REPEAT.configName());
        d.put("optimizer.lr", null);
        d.put("optimizer.adam_beta1", 0.9);
        d.put("optimizer.adam_beta2", 0.999);
        d.put("optimizer.adam_epsilon", 1e-8);
        d.put("optimizer.weight_decay", 0.0);
        d.put("optimizer.max_grad_norm", null);
        d.put("optimizer.warmup_ratio", 0.0);
        d.put("optimizer.lr_scheduler", LrScheduler.COSINE.configName());
        d.put("optimizer.num_train_epochs", 1);
        d.put("optimizer.max_steps", null);
        d.put("loss.normalisation", LossNormalisation.MICRO_BATCH_MEAN.configName());
        d.put("run.seed", 42L);
        d.put("run.save_every", 500);
        d.put("run.save_total_limit", 1);
        d.put("run.output_dir", null);
        d.put("run.backend", Backends.DEFAULT);
        d.put("run.recompute", true);
        d.put("run.stop_after", null);
        d.put("run.eval_every", null);
        d.put("run.eval_conf", null);
        d.put("run.eval_benchmarks", null);
        d.put("collective.io_timeout", "5m");
        d.put("collective.connect_timeout", "2m");
        d.put("collective.bucket_mb", 25.0);
        d.put("collective.overlap", true);
        return d;
    }

    /** defaults &lt;- {@code yaml} (optional) &lt;- {@code sets} (dotted key to a YAML scalar, e.g. {@code "7"}). */
    public static TrainConfig load(Path yaml, Map<String, String> sets) throws IOException {
        return load(yaml, null, sets);
    }

    /**
     * defaults &lt;- {@code yaml} (optional) &lt;- {@code options} (dotted key to a typed value, e.g. from command
     * line flags) &lt;- {@code sets} (dotted key to a YAML scalar); any may be null.
     */
    public static TrainConfig load(Path yaml, Map<String, Object> options, Map<String, String> sets)
            throws IOException {
        Map<String, Object> layered = new LinkedHashMap<>();
        if (yaml != null) {
            layered.putAll(KeyTree.flatten(readYaml(yaml), defaults().keySet(), NAME + ": config file " + yaml));
        }
        if (options != null) {
            layered.putAll(options);
        }
        List<String> setList = sets == null
                ? List.of()
                : sets.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList();
        Map<String, Object> keys = LAYERS.keys(null, layered, setList);
        // LayeredConfig reads --set k=null as the empty string; here it unsets a nullable key (max_steps, ...)
        if (sets != null) {
            sets.forEach((k, v) -> {
                if (YAML_NULLS.contains(v.trim())) {
                    keys.put(k, null);
                }
            });
        }
        return LAYERS.convert(KeyTree.nest(keys));
    }

    /**
     * A config from the YAML text {@link #asYaml} wrote (how the driver ships the resolved config to the workers:
     * text, so that every worker resolves exactly what the driver did).
     */
    public static TrainConfig fromYaml(String text) {
        try {
            Map<String, Object> tree = StrictYaml.yamlMapper().readValue(text, KEY_MAP);
            Map<String, Object> keys = LAYERS.keys(
                    null,
                    KeyTree.flatten(tree == null ? Map.of() : tree, defaults().keySet(), NAME),
                    List.of());
            return LAYERS.convert(KeyTree.nest(keys));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(NAME + ": resolved config: " + StrictYaml.describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no file is read: only text
        }
    }

    /** Checks what a run needs beyond the key ranges: the models, the shards and the output directory. */
    public TrainConfig validatedForRun() {
        require(
                present(model.llm()),
                "model.llm",
                model.llm(),
                "the base LLM (stage 1) or stage-1 checkpoint directory");
        require(present(model.visionTower()), "model.vision_tower", model.visionTower(), "a vision tower directory");
        require(!data.shards().isEmpty(), "data.shards", data.shards(), "at least one shard directory");
        require(present(run.outputDir()), "run.output_dir", run.outputDir(), "an output directory");
        return this;
    }

    /** The resolved config as dotted keys (enums by their config spelling), in the order of {@link #defaults()}. */
    public Map<String, Object> asKeys() {
        return KeyTree.flatten(LayeredConfig.asKeys(this), defaults().keySet(), NAME);
    }

    /** The resolved config as grouped YAML that {@link #load} reads back to an equal config. */
    public String asYaml() {
        try {
            return StrictYaml.yamlMapper().writeValueAsString(LayeredConfig.asKeys(this));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What trains: stage 1 everything but the tower below {@code tune_vit_from_layer}; stage 2 LLM + projector. */
    public Trainable trainable() {
        return stage == Stage.PRETRAIN ? Trainable.stage1(model.tuneVitFromLayer()) : Trainable.stage2();
    }

    /** The rows of every step for shards holding {@code rows} rows in all. */
    public BatchPlan batchPlan(long rows) {
        Long max = optimizer.maxSteps();
        return new BatchPlan(
                rows,
                batch.shape(),
                batch.lastBatch(),
                optimizer.numTrainEpochs(),
                max == null ? OptionalLong.empty() : OptionalLong.of(max));
    }

    /** The learning rate of every step of a run of {@code totalSteps} optimizer steps. */
    public LrSchedule lrSchedule(long totalSteps) {
        return optimizer.lrScheduler().create(optimizer.lr(), totalSteps, optimizer.warmupRatio());
    }

    private static Map<String, Object> readYaml(Path yaml) throws IOException {
        try {
            Map<String, Object> tree = StrictYaml.yamlMapper().readValue(yaml.toFile(), KEY_MAP);
            return tree == null ? Map.of() : tree;
        } catch (JsonProcessingException e) {
            throw new IOException(NAME + ": config file " + yaml + ": " + StrictYaml.describe(e), e);
        }
    }

    private static boolean present(String path) {
        return path != null && !path.isBlank();
    }
}
