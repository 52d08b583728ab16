package io.share4v.jobs.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of a training run, one class for {@code spark-submit … PretrainJob|FinetuneJob} and
 * {@code bin/share4v train}: the config file, {@code --set key=value} overrides, resume, and typed shortcuts for
 * the keys one changes most, layered between the file and {@code --set}.
 */
public final class TrainOptions {
    @Option(names = "--conf", required = true, paramLabel = "FILE.yaml", description = "training config (conf/*.yaml)")
    public Path conf;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "override a config key (dotted, e.g. batch.workers=4; null unsets); repeatable")
    public Map<String, String> sets = new LinkedHashMap<>();

    @Option(
            names = "--resume",
            description = "continue in the output directory from its latest committed checkpoint (a directory that"
                    + " has checkpoints is refused without it)")
    public boolean resume;

    @Option(names = "--workers", paramLabel = "N", description = "batch.workers: ranks (one per GPU)")
    Integer workers;

    @Option(names = "--micro-batch", paramLabel = "M", description = "batch.per_device_batch_size")
    Integer microBatch;

    @Option(names = "--global-batch", paramLabel = "G", description = "batch.global_batch_size")
    Integer globalBatch;

    @Option(names = "--max-steps", paramLabel = "K", description = "optimizer.max_steps (overrides the epochs)")
    Long maxSteps;

    @Option(names = "--seed", paramLabel = "S", description = "run.seed")
    Long seed;

    @Option(names = "--output", paramLabel = "DIR", description = "run.output_dir (a path or any Hadoop FS URI)")
    String output;

    @Option(names = "--save-every", paramLabel = "K", description = "run.save_every: checkpoint every K steps")
    Integer saveEvery;

    @Option(
            names = "--stop-after",
            paramLabel = "K",
            description = "run.stop_after: stop after optimizer step K with a committed checkpoint (the schedule is"
                    + " still that of the whole run)")
    Long stopAfter;

    /** The typed shortcuts that were given, as dotted config keys. */
    public Map<String, Object> keys() {
        Map<String, Object> k = new LinkedHashMap<>();
        put(k, "batch.workers", workers);
        put(k, "batch.per_device_batch_size", microBatch);
        put(k, "batch.global_batch_size", globalBatch);
        put(k, "optimizer.max_steps", maxSteps);
        put(k, "run.seed", seed);
        put(k, "run.output_dir", output);
        put(k, "run.save_every", saveEvery);
        put(k, "run.stop_after", stopAfter);
        return k;
    }

    private static void put(Map<String, Object> keys, String key, Object value) {
        if (value != null) {
            keys.put(key, value);
        }
    }
}
