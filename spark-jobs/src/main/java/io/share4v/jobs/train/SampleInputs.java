package io.share4v.jobs.train;

import io.share4v.data.manifest.DatasetManifest;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.jobs.shard.ShardConfig;
import io.share4v.jobs.shard.ShardPipeline;
import io.share4v.model.io.CheckpointWriter;
import io.share4v.model.llava.TinyLlava;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.config.Stage;
import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The inputs of a training run over the bundled sample, made on the fly: a tiny random ShareGPT4V for the sample
 * tokenizer ({@link TinyLlava}) and the sample's shards for the run's stage (stage 1: {@code sample-pt}, plain,
 * square; stage 2: {@code sample-mix}, v1, pad, grouped by modality for the run's workers × micro-batch), written
 * once under a work directory and reused when the run resumes. What {@code bin/share4v train --sample} and the
 * training tests run on, where no real checkpoint or dataset can be downloaded.
 */
public final class SampleInputs {
    /** The sample's manifests, relative to the sample directory. */
    static final String PRETRAIN_MANIFEST = "sample-pt.yaml";

    static final String FINETUNE_MANIFEST = "sample-mix.yaml";

    private SampleInputs() {}

    /**
     * Makes (or finds) the tiny model and the shards under {@code workDir} and returns the config keys that point
     * the run at them ({@code model.llm}, {@code model.vision_tower}, {@code data.shards}). {@code spark} runs the
     * sharding job, so it needs that job's Kryo settings ({@link io.share4v.jobs.shard.ShardJob#kryo}).
     */
    public static Map<String, Object> prepare(
            SparkSession spark, TrainConfig cfg, Path sampleDir, Path tokenizer, Path workDir) throws IOException {
        int vocab = LlamaTokenizer.load(tokenizer).vocabSize();
        Path model = workDir.resolve("tiny-model");
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            TinyLlava.write(model, tokenizer, vocab, cfg.run().seed(), Backends.create("java"));
        }
        Path shards = workDir.resolve("shards-" + cfg.stage().configName());
        if (!Files.isRegularFile(shards.resolve("_manifest.json"))) {
            ShardPipeline.run(
                    spark,
                    shardConfig(
                            cfg, sampleDir, tokenizer, TinyLlava.config(vocab).imageTokens(), shards));
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("model.llm", model.toAbsolutePath().toString());
        keys.put(
                "model.vision_tower",
                model.resolve(CheckpointWriter.VISION_TOWER_DIR)
                        .toAbsolutePath()
                        .toString());
        keys.put("data.shards", List.of(shards.toAbsolutePath().toString()));
        return keys;
    }

    private static ShardConfig shardConfig(TrainConfig cfg, Path sampleDir, Path tokenizer, int imageTokens, Path out)
            throws IOException {
        boolean stage1 = cfg.stage() == Stage.PRETRAIN;
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("data_root", sampleDir.toAbsolutePath().toString());
        keys.put("tokenizer_dir", tokenizer.toAbsolutePath().toString());
        keys.put("output_dir", out.toAbsolutePath().toString());
        keys.put("model_max_length", cfg.data().modelMaxLength());
        keys.put("image_tokens", imageTokens);
        keys.put("seed", cfg.run().seed());
        keys.put("chunk_records", 7);
        if (cfg.data().groupByModalityLength()) {
            keys.put("ordering", "group_by_modality_length");
            keys.put("world_size", cfg.batch().workers());
            keys.put("per_device_batch", cfg.batch().perDeviceBatchSize());
        }
        DatasetManifest manifest =
                DatasetManifest.load(sampleDir.resolve(stage1 ? PRETRAIN_MANIFEST : FINETUNE_MANIFEST));
        return ShardConfig.load(null, keys, List.of())
                .withDatasets(List.of(manifest))
                .validatedForRun();
    }
}
