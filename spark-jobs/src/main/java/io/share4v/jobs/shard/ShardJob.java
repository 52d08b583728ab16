package io.share4v.jobs.shard;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * spark-submit entry point:
 * {@code ShardJob [--config conf/shard.yaml] [--manifest F]... [--data-root D] [--tokenizer D] [--out D]
 * [--overwrite] [--set key=value]...} (a bare YAML path is taken as {@code --config}; put it before any
 * {@code --manifest}, which takes every following value up to the next option). The options are
 * {@link ShardOptions}, the manifest form of {@code bin/share4v shard}; the master comes from spark-submit,
 * never from code.
 */
@Command(
        name = "ShardJob",
        mixinStandardHelpOptions = true,
        description =
                "Validate, tokenize and shard LLaVA JSON datasets into Parquet (+ rejects ledger, _manifest.json).")
public final class ShardJob implements Callable<Integer> {
    @Mixin
    ShardOptions options;

    @Parameters(arity = "0..1", paramLabel = "CONFIG.yaml", description = "the same as --config")
    String bareConfig;

    private ShardJob() {}

    /**
     * A wrong option prints the problem and the usage and exits with code 2 before Spark starts; a failure
     * of the run itself propagates as an exception, so spark-submit reports it with its stack trace.
     */
    public static void main(String[] args) throws Exception {
        ShardJob job = new ShardJob();
        CommandLine cl = new CommandLine(job);
        try {
            if (CommandLine.printHelpIfRequested(cl.parseArgs(args))) {
                return;
            }
        } catch (CommandLine.ParameterException e) {
            cl.getErr().println("ShardJob: " + e.getMessage());
            cl.usage(cl.getErr());
            cl.getErr().flush();
            System.exit(2);
        }
        job.call();
    }

    @Override
    public Integer call() throws Exception {
        String yaml = options.config != null ? options.config : bareConfig;
        ShardConfig cfg = ShardConfig.load(yaml == null ? null : Path.of(yaml), options.keys(), options.sets)
                .validatedForRun();
        SparkSession spark =
                kryo(SparkSession.builder().appName("share4v-shard")).getOrCreate();
        try {
            System.out.print(ShardPipeline.run(spark, cfg).summary());
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** Kryo with every shipped class registered (required), as the job is tested. */
    public static SparkSession.Builder kryo(SparkSession.Builder b) {
        return b.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrationRequired", "true")
                .config("spark.kryo.registrator", ShardKryoRegistrator.class.getName());
    }
}
