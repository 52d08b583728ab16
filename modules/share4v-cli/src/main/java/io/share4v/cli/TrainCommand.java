package io.share4v.cli;

import io.share4v.jobs.shard.ShardJob;
import io.share4v.jobs.train.SampleInputs;
import io.share4v.jobs.train.Share4vTraining;
import io.share4v.jobs.train.TrainOptions;
import io.share4v.train.config.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v train}: a training run on a local Spark (one barrier task per worker, the same code path as
 * {@code spark-submit … PretrainJob|FinetuneJob}); with {@code --sample}, over the bundled sample with a tiny model
 * made on the fly.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains as the config says (conf/pretrain-7b.yaml, conf/finetune-7b.yaml, conf/tiny-*.yaml, ...) on a local"
                    + " Spark: one barrier task per worker, gradients over the project's TCP ring.",
            "Output: OUTPUT/checkpoints/step-N/ (committed atomically), OUTPUT/metrics.jsonl, OUTPUT/curves.png and,"
                    + " at the end, OUTPUT/final/ (an HF model directory forward and generate load)."
        })
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master (default local[N] with N = max(workers, cores): a barrier stage needs a slot"
                    + " per worker)")
    String master;

    @Option(
            names = "--sample",
            description = "train on the bundled sample: a tiny random model for the sample tokenizer and the stage's"
                    + " sample shards, made under OUTPUT/sample-inputs/ (reused on --resume)")
    boolean sample;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = TrainConfig.load(options.conf, options.keys(), options.sets);
        int workers = cfg.batch().workers();
        String url = master != null
                ? master
                : "local[" + Math.max(workers, Runtime.getRuntime().availableProcessors()) + "]";
        SparkSession spark = ShardJob.kryo(SparkSession.builder().master(url).appName("share4v-train"))
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            if (sample) {
                cfg = withSampleInputs(spark, cfg);
            }
            Share4vTraining.Summary summary = Share4vTraining.fit(spark, cfg, options.resume);
            PrintWriter out = spec.commandLine().getOut();
            out.println(summary.describe());
            out.flush();
        } finally {
            spark.stop();
        }
        return 0;
    }

    private TrainConfig withSampleInputs(SparkSession spark, TrainConfig cfg) throws Exception {
        if (cfg.run().outputDir() == null || cfg.run().outputDir().contains("://")) {
            throw new IllegalArgumentException("--sample needs a local run.output_dir (--output DIR), got "
                    + cfg.run().outputDir());
        }
        Path home = Share4vHome.find();
        Map<String, Object> keys = new LinkedHashMap<>(options.keys());
        keys.putAll(SampleInputs.prepare(
                spark,
                cfg,
                home.resolve(ShardCommand.SAMPLE_DIR),
                home.resolve(ShardCommand.SAMPLE_TOKENIZER),
                Path.of(cfg.run().outputDir()).resolve("sample-inputs")));
        return TrainConfig.load(options.conf, keys, options.sets);
    }
}
