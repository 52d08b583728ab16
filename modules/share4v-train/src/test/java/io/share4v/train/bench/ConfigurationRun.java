package io.share4v.train.bench;

import io.share4v.model.llava.LlavaLayout;
import io.share4v.tensor.ParamLayout;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.config.Stage;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.metrics.ProgressEvent;
import io.share4v.train.metrics.RunReporter;
import io.share4v.train.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One configuration in this JVM: {@code ranks} ranks of {@link TrainingRun} as threads over loopback
 * ({@link LocalCluster}), the whole run as {@code bin/share4v train} runs it (shards streamed and decoded by the
 * data loader, the ring, the sharded AdamW, a checkpoint after the last step), every rank's step metrics kept.
 * The thread count is this JVM's ({@link TrainBench} starts one JVM per configuration with it).
 */
final class ConfigurationRun {
    private ConfigurationRun() {}

    /** The train config of this configuration: {@code conf/tiny-<stage>.yaml}, the benchmark's keys, then the sets. */
    static TrainConfig config(BenchOptions o, BenchOptions.RankConfig rc, BenchInputs in, Path output)
            throws IOException {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("model.llm", in.model().toString());
        keys.put("model.vision_tower", in.tower().toString());
        keys.put("model.pretrain_mm_mlp_adapter", null);
        keys.put("model.tune_vit_from_layer", o.stage() == Stage.PRETRAIN ? o.model().tuneVitFromLayer : null);
        keys.put("data.shards", List.of(in.shards().toString()));
        keys.put("data.group_by_modality_length", false);
        keys.put("batch.global_batch_size", o.globalBatch());
        keys.put("batch.per_device_batch_size", o.microBatch());
        keys.put("batch.workers", rc.ranks());
        keys.put("optimizer.lr", 2e-5);
        keys.put("optimizer.num_train_epochs", 1);
        keys.put("optimizer.max_steps", o.warmup() + o.steps());
        keys.put("run.save_every", o.warmup() + o.steps());
        keys.put("run.save_total_limit", 1);
        keys.put("run.output_dir", output.toString());
        keys.put("run.backend", o.backend());
        String stage = o.stage() == Stage.PRETRAIN ? "pretrain" : "finetune";
        return TrainConfig.load(o.repo().resolve("conf/tiny-" + stage + ".yaml"), keys, o.sets());
    }

    /** Runs the configuration and returns its JSON line's fields. */
    static Map<String, Object> run(BenchOptions o, BenchOptions.RankConfig rc, int runIndex) throws IOException {
        BenchInputs in = BenchInputs.of(o);
        Path output = o.workDir().resolve("runs").resolve(rc.name() + "-run" + runIndex);
        BenchInputs.delete(output); // a run resumes from a checkpoint in its output: start clean
        TrainConfig config = config(o, rc, in, output);
        String loadStart = loadAverage();
        List<List<StepStats.Sample>> perRank;
        try (LocalCluster cluster =
                LocalCluster.start(rc.ranks(), config.collective().settings())) {
            perRank = cluster.run(c -> {
                List<StepStats.Sample> samples = new ArrayList<>();
                // The rank's own step reports (metrics.jsonl has the merged lines) with its bytes sent so far.
                RunReporter steps = new RunReporter() {
                    @Override
                    public void report(ProgressEvent event) {
                        if (event instanceof ProgressEvent.Step step) {
                            samples.add(new StepStats.Sample(step, c.bytesSent()));
                        }
                    }

                    @Override
                    public void close() {}
                };
                TrainingRun.run(
                        config, c, new TrainingRun.RankContext(c.rank(), c.world(), "bench", Optional.empty()), steps);
                return samples;
            });
        } finally {
            BenchInputs.delete(output);
        }
        StepStats s = StepStats.of(perRank, o.warmup());
        ParamLayout layout = LlavaLayout.of(o.model().config());
        long trainable = config.trainable().ranges(layout).stream()
                .mapToLong(ParamLayout.Range::size)
                .sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", "train_step");
        m.put("run", runIndex);
        m.put("config", rc.name());
        m.put("ranks", rc.ranks());
        m.put("threads_per_rank", rc.threads());
        m.put("model", o.model().configName());
        m.put("stage", o.stage() == Stage.PRETRAIN ? "stage1" : "stage2");
        m.put("backend", o.backend());
        m.put("backend_threads", backendThreads(o.backend()));
        m.put("sets", o.sets());
        m.put("global_batch", o.globalBatch());
        m.put("micro_batch", o.microBatch());
        m.put("accumulation", o.globalBatch() / (o.microBatch() * rc.ranks()));
        m.put("positions_per_sample", 1 + o.textLen() + o.model().imageTokens());
        m.put("params", layout.totalSize());
        m.put("params_trainable", trainable);
        m.put("warmup_steps", o.warmup());
        m.put("timed_steps", s.timedSteps());
        m.put("samples_per_s", s.samplesPerSecond());
        m.put("step_ms_mean", s.stepMsMean());
        m.put("step_ms_median", s.stepMsMedian());
        m.put("communication_fraction_max", s.communication().max());
        m.put("communication_fraction_mean", s.communication().mean());
        m.put("hidden_communication_fraction_max", s.hiddenCommunication().max());
        m.put("hidden_communication_fraction_mean", s.hiddenCommunication().mean());
        m.put("data_stall_fraction_max", s.dataStall().max());
        m.put("data_stall_fraction_mean", s.dataStall().mean());
        m.put("compute_fraction_max", s.compute().max());
        m.put("compute_fraction_mean", s.compute().mean());
        m.put("bytes_sent_per_step_max", s.bytesPerStep().max());
        m.put("bytes_sent_per_step_mean", s.bytesPerStep().mean());
        List<StepStats.Sample> rank0 = perRank.get(0);
        m.put("last_loss", rank0.get(rank0.size() - 1).step().global().loss());
        m.put("load_avg_start", loadStart);
        m.put("load_avg_end", loadAverage());
        return m;
    }

    /** The backend's thread settings as this JVM has them. */
    private static String backendThreads(String backend) {
        String java = "java loops " + Runtime.getRuntime().availableProcessors();
        return backend.equals("nd4j")
                ? io.share4v.backend.nd4j.Nd4jRuntime.get().describe() + ", " + java
                : java;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
