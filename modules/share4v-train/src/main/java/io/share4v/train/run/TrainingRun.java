package io.share4v.train.run;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.GitCommit;
import io.share4v.common.config.StrictYaml;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.optim.AdamW;
import io.share4v.train.checkpoint.Checkpoint;
import io.share4v.train.checkpoint.CheckpointStore;
import io.share4v.train.checkpoint.PendingCheckpoint;
import io.share4v.train.checkpoint.TrainerState;
import io.share4v.train.collective.Collective;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.data.Collator;
import io.share4v.train.data.ModalityGrouping;
import io.share4v.train.data.ShardBatchSource;
import io.share4v.train.data.ShardDataset;
import io.share4v.train.data.ShardManifest;
import io.share4v.train.eval.EvalMetrics;
import io.share4v.train.eval.EvalPlan;
import io.share4v.train.eval.EvalPoints;
import io.share4v.train.eval.ValidationLoss;
import io.share4v.train.loop.RankStep;
import io.share4v.train.loop.StepFailure;
import io.share4v.train.loop.StepMetrics;
import io.share4v.train.loop.StepOptions;
import io.share4v.train.metrics.ProgressEvent;
import io.share4v.train.metrics.RunProgress;
import io.share4v.train.metrics.RunReporter;
import io.share4v.train.plan.BatchPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one rank runs, from the config to the final model: the Spark job's barrier task and {@code bin/share4v
 * train} both call {@link #run}. Every rank builds the same model ({@link RunModel}), checks that all ranks hold
 * identical parameters ({@link ParameterCheck}), resumes from the newest committed checkpoint when there is one,
 * and runs {@link RankStep#step} for each optimizer step, reporting each one to a {@link RunReporter} (the driver's
 * {@link RunProgress} writes the metrics and the curves).
 *
 * <p><b>Resume is bitwise.</b> Nothing in a step is random, and everything a step depends on is a function of its
 * number or is saved: its rows ({@link BatchPlan}: the global batch of step {@code s} is fixed by {@code s}, so the
 * data loader simply starts at the resumed step), its learning rate (the schedule of {@code s}), the float32 master
 * weights (saved as they are), each rank's AdamW moments and step count (its optimizer shard) and the gradients
 * (zeroed at every step). A resumed run at the same world size therefore repeats the uninterrupted run bit for bit;
 * the trainer state records the seed and the next row for people and for a future shuffling loader.
 *
 * <p><b>Another number of workers</b> ({@code batch.workers}) may resume a checkpoint at equal global batch,
 * micro-batch and bucket size: each new rank fills the moments of its new shard from the slices of the saved shard
 * files that hold them ({@link Checkpoint#readOptimizerShard}); the moments are moved exactly, and the run then
 * equals the uninterrupted one within the N workers = 1 worker tolerance (the micro-batch gradients are summed in
 * another grouping), not bitwise. The log says so ({@link TrainerState.Resume#describe}).
 *
 * <p><b>Checkpoints</b> are taken after every {@code run.save_every}-th step, after the last step and after
 * {@code run.stop_after}; a checkpoint's number is the count of completed steps, which is where a resumed run
 * continues. Every rank writes its optimizer shard, rank 0 the model and the state, a barrier, rank 0 commits, a
 * barrier. After the last step rank 0 publishes {@code OUTPUT/final/}.
 *
 * <p><b>Validation</b> ({@code data.eval_shards}): after every {@code run.eval_every}-th step and after the last
 * step ({@link EvalPoints}), before that step's checkpoint, every rank runs the forward pass over its share of the
 * held-out rows and rank 0 records the summed loss ({@link ValidationLoss}). It only reads the parameters, so the
 * training result is the same with or without it.
 *
 * <p>Any failure of a rank closes its collective, so the other ranks fail at once instead of at their I/O timeout,
 * and is thrown naming the rank and the step ({@link StepFailure} for a step, {@link RunFailure} otherwise).
 */
public final class TrainingRun {
    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");
    /**
     * Keys that control how a run executes, not what it computes: a resume may change them. {@code batch.workers}
     * is one: at equal global batch and micro-batch every step trains on the same micro-batches in the same order
     * whatever the world size ({@link BatchPlan}), only the accumulation per worker and the grouping of the float
     * additions change (the N workers = 1 worker tolerance, not bitwise), and the optimizer shards are
     * redistributed over the new ranks. The global batch, the micro-batch and {@code collective.bucket_mb} stay in
     * the key.
     */
    private static final java.util.Set<String> RUN_CONTROL_KEYS = java.util.Set.of(
            "batch.workers",
            "run.stop_after",
            "run.save_every",
            "run.save_total_limit",
            "run.output_dir",
            "run.eval_every",
            "run.eval_conf",
            "run.eval_benchmarks",
            "data.eval_shards",
            "data.decode_threads",
            "collective.io_timeout",
            "collective.connect_timeout",
            "collective.overlap");
    /** {@code OUTPUT/final}, where the last step's model is published. */
    private static final String FINAL = "final";
    /** Steps the data loader prepares ahead of the model. */
    private static final int PREFETCH_STEPS = 2;

    private TrainingRun() {}

    /**
     * Where this rank runs: rank, world, an id shared by every rank of this attempt (checkpoint nonce: 1-64 of
     * {@code [A-Za-z0-9_-]}), its GPU.
     */
    public record RankContext(int rank, int world, String attempt, Optional<String> gpu) {
        public RankContext {
            require(world >= 1, "world", world, ">= 1");
            require(rank >= 0 && rank < world, "rank", rank, "0.." + (world - 1));
            require(attempt != null && NONCE.matcher(attempt).matches(), "attempt", attempt, "1-64 of [A-Za-z0-9_-]");
            require(gpu != null, "gpu", null, "an address or Optional.empty()");
        }
    }

    /**
     * What a rank reports at the end.
     *
     * @param firstStep  steps completed when this run started (0, or the resumed checkpoint's)
     * @param lastStep   steps completed when it returned
     * @param totalSteps the run's steps
     * @param lastLoss   the loss of the last step this run trained (NaN when it trained none)
     * @param finished   whether every step is done ({@code lastStep == totalSteps})
     * @param finalModel URI of {@code OUTPUT/final}, null unless finished
     */
    public record Result(
            long firstStep, long lastStep, long totalSteps, double lastLoss, boolean finished, String finalModel) {}

    /**
     * Runs (or resumes) the training described by config on this rank; collective already formed. Every rank
     * reports its start, its steps and (rank 0) the committed checkpoints to {@code reporter}, which the caller
     * closes. Files (shards, checkpoints) are opened with a Hadoop configuration of this JVM's defaults and site
     * files.
     */
    public static Result run(TrainConfig config, Collective collective, RankContext ctx, RunReporter reporter)
            throws IOException {
        return run(config, collective, ctx, reporter, new Configuration());
    }

    /** {@link #run} with the Hadoop configuration {@code hadoop} for every file (a Spark job passes its driver's). */
    public static Result run(
            TrainConfig config, Collective collective, RankContext ctx, RunReporter reporter, Configuration hadoop)
            throws IOException {
        return run(config, collective, ctx, reporter, hadoop, model -> {});
    }

    /** {@link #run}, handing the trained model to {@code atEnd} before returning (tests read its parameters). */
    static Result run(
            TrainConfig config,
            Collective collective,
            RankContext ctx,
            RunReporter reporter,
            Consumer<LlavaModel> atEnd)
            throws IOException {
        return run(config, collective, ctx, reporter, new Configuration(), atEnd);
    }

    private static Result run(
            TrainConfig config,
            Collective collective,
            RankContext ctx,
            RunReporter reporter,
            Configuration hadoop,
            Consumer<LlavaModel> atEnd)
            throws IOException {
        config.validatedForRun();
        require(
                collective.rank() == ctx.rank() && collective.world() == ctx.world(),
                "rank context",
                ctx,
                "the collective's rank " + collective.rank() + " of " + collective.world());
        require(
                config.batch().workers() == ctx.world(),
                "batch.workers",
                config.batch().workers(),
                "the number of ranks, " + ctx.world());
        return new Rank(config, collective, ctx, reporter, hadoop, atEnd).run();
    }

    /**
     * The driver's side of the progress of the run {@code config} describes: {@code metrics.jsonl} and
     * {@code curves.png} in its output directory.
     */
    public static RunProgress progress(TrainConfig config, Configuration conf) throws IOException {
        String title = "stage " + config.stage().configName() + ", global batch "
                + config.batch().globalBatchSize() + ", " + config.batch().workers() + " workers, lr "
                + config.optimizer().lr();
        return RunProgress.open(outputUri(config.run().outputDir()), conf, title);
    }

    /** The output directory as a URI: a scheme ({@code hdfs://}, {@code file:}) as given, else a local path. */
    static URI outputUri(String dir) {
        return URI_SCHEME.matcher(dir).matches()
                ? URI.create(dir)
                : java.nio.file.Path.of(dir).toAbsolutePath().normalize().toUri();
    }

    /** The resolved config without {@link #RUN_CONTROL_KEYS}: what a resume must match. */
    static String resumeKey(TrainConfig config) {
        Map<String, Object> keys = new java.util.LinkedHashMap<>(config.asKeys());
        keys.keySet().removeAll(RUN_CONTROL_KEYS);
        try {
            return StrictYaml.yamlMapper().writeValueAsString(keys);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One rank's run; its fields are what the steps and checkpoints share. */
    private static final class Rank {
        private final TrainConfig config;
        private final Collective collective;
        private final RankContext ctx;
        private final RunReporter reporter;
        private final Configuration hadoop;
        private final Consumer<LlavaModel> atEnd;
        private final long startNanos = System.nanoTime();
        private ShardDataset dataset;
        /** The held-out split, null without {@code data.eval_shards}; owned by {@link #validation} once it exists. */
        private ShardDataset evalData;

        private ValidationLoss validation;
        private RunModel model;
        private BatchPlan plan;
        private RankStep steps;
        private CheckpointStore store;
        private FileSystem fs;
        private Path output;
        private String resumeKey;
        private String gitCommit;
        private double earlierWallSeconds;
        /** Steps completed so far (named by a failure). */
        private long completed;

        Rank(
                TrainConfig config,
                Collective collective,
                RankContext ctx,
                RunReporter reporter,
                Configuration hadoop,
                Consumer<LlavaModel> atEnd) {
            this.config = config;
            this.collective = collective;
            this.ctx = ctx;
            this.reporter = reporter;
            this.hadoop = hadoop;
            this.atEnd = atEnd;
        }

        Result run() throws IOException {
            ShardBatchSource source = null;
            try {
                log.info(
                        "rank {} of {}, attempt {}, gpu {}",
                        ctx.rank(),
                        ctx.world(),
                        ctx.attempt(),
                        ctx.gpu().orElse("none"));
                Optional<Checkpoint> latest = start();
                long first = latest.isPresent() ? latest.get().step() : 0;
                completed = first;
                source = openData(first);
                steps = new RankStep(model.model(), collective, source, config.lrSchedule(plan.steps()), stepOptions());
                if (latest.isPresent()) {
                    AdamW adamw = steps.optimizer().adamw();
                    adamw.setStepCount(latest.get()
                            .readOptimizerShard(
                                    steps.buckets(),
                                    ctx.rank(),
                                    adamw.moments(),
                                    model.model().backend()));
                }
                ParameterCheck.requireIdentical(
                        model.model().params(), model.model().backend(), collective);
                return train(first);
            } catch (StepFailure | RunFailure e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                collective.close();
                throw new RunFailure(ctx.rank(), ctx.world(), completed, e);
            } finally {
                if (steps != null) {
                    steps.close();
                }
                if (source != null) {
                    source.close();
                } else if (dataset != null) {
                    dataset.close();
                }
                if (validation != null) {
                    validation.close();
                } else if (evalData != null) {
                    evalData.close();
                }
            }
        }

        /**
         * Checkpoint store (stale data removed), the model with its starting weights (the newest committed
         * checkpoint's when there is one, its state checked against this run) and the plan; returns that checkpoint.
         */
        private Optional<Checkpoint> start() throws IOException {
            URI uri = outputUri(config.run().outputDir());
            fs = FileSystem.get(uri, hadoop);
            output = fs.makeQualified(new Path(uri));
            store = CheckpointStore.open(
                    uri,
                    hadoop,
                    ctx.attempt(),
                    config.run().saveTotalLimit(),
                    java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
            resumeKey = resumeKey(config);
            if (ctx.rank() == 0) {
                store.removeStale().forEach(p -> log.info("removed stale checkpoint data {}", p));
                gitCommit = Objects.requireNonNullElse(GitCommit.current(), "unknown");
            }
            collective.barrier();
            Optional<Checkpoint> latest = store.latest();
            Optional<TrainerState.Resume> resume = Optional.empty();
            if (latest.isPresent()) {
                TrainerState saved = latest.get().readState();
                resume = Optional.of(saved.checkResume(resumeKey, ctx.world()));
                earlierWallSeconds = saved.wallTimeSeconds();
            }
            dataset = ShardDataset.open(config.data().shards(), hadoop);
            List<ShardManifest> scanned = new ArrayList<>(dataset.manifests());
            if (!config.data().evalShards().isEmpty()) {
                evalData = ShardDataset.open(config.data().evalShards(), hadoop);
                scanned.addAll(evalData.manifests());
            }
            LlavaConfig architecture = RunModel.architecture(config);
            RunModel.Capacity capacity =
                    RunModel.scan(scanned, hadoop, config.data().modelMaxLength(), architecture.imageTokens());
            model = RunModel.load(config, architecture, capacity);
            plan = config.batchPlan(dataset.rows());
            if (ctx.rank() == 0) {
                log.info(
                        "model capacity: micro-batch {} x {} positions (the longest row of the shards, spliced),"
                                + " {} images; {} rows, {} steps",
                        config.batch().perDeviceBatchSize(),
                        model.model().options().maxSeq(),
                        model.model().options().maxImages(),
                        dataset.rows(),
                        plan.steps());
            }
            if (latest.isPresent()) {
                latest.get().loadModel(model.model(), null);
                if (ctx.rank() == 0) {
                    log.info("{} ({})", resume.get().describe(), latest.get());
                }
            }
            return latest;
        }

        private StepOptions stepOptions() {
            var o = config.optimizer();
            Double clip = o.maxGradNorm();
            return new StepOptions(
                    new AdamW.Config(0, o.adamBeta1(), o.adamBeta2(), o.adamEpsilon(), o.weightDecay()),
                    config.loss().normalisation(),
                    clip == null ? 0 : clip,
                    config.collective().bucketBytes(),
                    config.collective().overlap());
        }

        /** This rank's micro-batches from step {@code first} on; the source then owns the dataset. */
        private ShardBatchSource openData(long first) {
            if (config.data().groupByModalityLength()) {
                ModalityGrouping.requireMatches(
                        dataset.manifests(), ctx.world(), config.batch().perDeviceBatchSize());
            }
            return ShardBatchSource.start(
                    dataset,
                    plan,
                    ctx.rank(),
                    collator(dataset),
                    new ShardBatchSource.Options(PREFETCH_STEPS, config.data().decodeThreads()),
                    first);
        }

        /** The collator of {@code data}'s rows, after checking that its directories were made for this run. */
        private Collator collator(ShardDataset data) {
            return Collator.forShards(
                    data.manifests(),
                    config.data().modelMaxLength(),
                    config.data().template().configName(),
                    RunModel.imageConfig(config, model.model().config()),
                    LlamaTokenizer.load(model.tokenizerDir()).fingerprint(),
                    Map.of());
        }

        /** The validation of this process's {@code points} over the held-out split; null without one. */
        private ValidationLoss openValidation(EvalPoints points) {
            if (evalData == null) {
                return null;
            }
            Collator collator = collator(evalData);
            EvalPlan evalPlan =
                    new EvalPlan(evalData.rows(), config.batch().perDeviceBatchSize(), ctx.world(), points.count());
            ShardBatchSource source = ShardBatchSource.start(
                    evalData,
                    evalPlan,
                    ctx.rank(),
                    collator,
                    new ShardBatchSource.Options(1, config.data().decodeThreads()),
                    0);
            evalData = null; // the source owns it now
            return new ValidationLoss(model.model(), collective, source, evalPlan);
        }

        private Result train(long first) throws IOException {
            long total = plan.steps();
            Long stopAfter = config.run().stopAfter();
            long end = stopAfter == null ? total : Math.min(total, stopAfter);
            Optional<FaultInjection> fault = FaultInjection.fromSystemProperty();
            EvalPoints evalPoints = new EvalPoints(
                    Math.min(first, end), end, total, config.run().evalEvery());
            validation = openValidation(evalPoints);
            double lastLoss = Double.NaN;
            reporter.report(new ProgressEvent.Started(Math.min(first, total), Math.max(first, end), total));
            for (long s = first; s < end; s++) {
                if (fault.isPresent()) {
                    injectFault(fault.get(), s);
                }
                StepMetrics m = steps.step(s);
                lastLoss = m.loss();
                long done = s + 1;
                completed = done;
                reporter.report(ProgressEvent.Step.of(ctx.rank(), m));
                if (validation != null && evalPoints.due(done)) {
                    validate(done);
                }
                if (done % config.run().saveEvery() == 0 || done == end) {
                    checkpoint(done);
                }
            }
            String finalModel = null;
            if (end == total) {
                if (ctx.rank() == 0) {
                    log.info("published {}", store.publishFinal(total));
                }
                collective.barrier();
                finalModel = new Path(output, FINAL).toUri().toString();
            }
            atEnd.accept(model.model());
            return new Result(Math.min(first, total), Math.max(first, end), total, lastLoss, end == total, finalModel);
        }

        private void injectFault(FaultInjection fault, long step) {
            try {
                fault.maybeFail(ctx.rank(), step, fs, output, ctx.attempt());
            } catch (IOException | RuntimeException e) {
                collective.close();
                throw new StepFailure(step, ctx.rank(), ctx.world(), e);
            }
        }

        /** The validation loss after {@code done} completed steps: every rank computes, rank 0 reports it. */
        private void validate(long done) {
            EvalMetrics e;
            try {
                e = validation.evaluate(done);
            } catch (RuntimeException ex) {
                collective.close();
                throw new RunFailure(ctx.rank(), ctx.world(), done, ex);
            }
            if (ctx.rank() == 0) {
                reporter.report(e.event());
            }
        }

        /** The checkpoint after {@code done} completed steps (see the class comment). */
        private void checkpoint(long done) {
            try {
                PendingCheckpoint pending = store.begin(done);
                AdamW adamw = steps.optimizer().adamw();
                pending.writeOptimizerShard(
                        steps.buckets(),
                        ctx.rank(),
                        adamw.stepCount(),
                        adamw.moments(),
                        model.model().backend());
                if (ctx.rank() == 0) {
                    pending.writeModel(model.snapshot());
                    pending.writeState(new TrainerState(
                            done,
                            nextRow(done),
                            Map.of("run", config.run().seed()),
                            resumeKey,
                            gitCommit,
                            ctx.world(),
                            earlierWallSeconds + (System.nanoTime() - startNanos) / 1e9));
                }
                collective.barrier();
                if (ctx.rank() == 0) {
                    pending.commit();
                    log.info("checkpoint after step {} committed in {}", done, store.checkpoints());
                    reporter.report(new ProgressEvent.CheckpointCommitted(done));
                }
                collective.barrier();
            } catch (IOException | RuntimeException e) {
                collective.close();
                throw new RunFailure(ctx.rank(), ctx.world(), done, e);
            }
        }

        /** The global row (shard order) the step after {@code done} completed steps starts at. */
        private long nextRow(long done) {
            return (done % plan.stepsPerEpoch()) * plan.shape().globalBatch() % plan.rowCount();
        }
    }
}
