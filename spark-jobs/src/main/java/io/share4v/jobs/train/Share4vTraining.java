package io.share4v.jobs.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.jobs.eval.EvalRun;
import io.share4v.train.checkpoint.Checkpoint;
import io.share4v.train.checkpoint.CheckpointStore;
import io.share4v.train.collective.JobToken;
import io.share4v.train.collective.TcpRingCollective;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.metrics.ProgressClient;
import io.share4v.train.metrics.ProgressServer;
import io.share4v.train.metrics.RunProgress;
import io.share4v.train.run.TrainingRun;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Training as a library call from a Spark application, as {@code SparkDl4jMultiLayer.fit} or xgboost4j-spark's
 * {@code fit} are called: {@code Share4vTraining.fit(spark, config, resume)} runs one barrier stage of
 * {@code batch.workers} tasks (one per GPU on GPU clusters); each task forms the ring ({@link BarrierRing}) and runs
 * {@link TrainingRun} — data, steps, checkpoints — until the end or {@code run.stop_after}. A failed task makes Spark
 * retry the whole stage (up to {@code spark.stage.maxConsecutiveAttempts} attempts), which resumes from the last
 * committed checkpoint. The driver checks the output directory, ships the resolved config and its Hadoop
 * configuration, collects the ranks' results and follows the run: every rank reports each step to the driver's
 * {@link ProgressServer} (an ephemeral port on the driver host Spark advertises, a random per-run token; both reach
 * the tasks in the stage's closure), and the driver's {@link RunProgress} writes {@code metrics.jsonl}, logs progress
 * with the ETA and renders {@code curves.png} at every checkpoint and at the end.
 *
 * <p><b>Hadoop settings.</b> The ranks open shards and checkpoints with the driver's
 * {@code sc.hadoopConfiguration()}, shipped whole with the task as Spark's own file reads ship it (a Parquet scan's
 * tasks use the driver's configuration, not the executor's): so {@code --conf spark.hadoop.fs.s3a.access.key=…},
 * a {@code core-site.xml} on the driver and settings a program makes on {@code sc.hadoopConfiguration()} before
 * calling {@link #fit} all reach the trainer, exactly as they reach {@code spark.read().parquet(…)} in the same
 * application.
 */
public final class Share4vTraining {
    private static final Logger log = LoggerFactory.getLogger(Share4vTraining.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the ranks reported, in rank order, and the evaluation of the final checkpoint ({@code run.eval_conf}; null
     * when off or when the run stopped early).
     */
    public record Summary(List<TrainingRun.Result> ranks, EvalRun.Result evaluation) {
        /** Rank 0's report (every rank runs the same steps). */
        public TrainingRun.Result lead() {
            return ranks.get(0);
        }

        public String describe() {
            TrainingRun.Result r = lead();
            return "trained steps " + r.firstStep() + ".." + r.lastStep() + " of " + r.totalSteps() + " on "
                    + ranks.size() + " workers, last loss " + r.lastLoss()
                    + (r.finished() ? ", final model " + r.finalModel() : ", stopped early (resume to finish)")
                    + (evaluation == null
                            ? ""
                            : ", evaluated on " + evaluation.benchmarks().size() + " benchmarks into "
                                    + TrainingEvaluation.DIR + "/");
        }
    }

    private Share4vTraining() {}

    /**
     * Trains as {@code config} says. An output directory that already holds committed checkpoints is refused unless
     * {@code resume} is set (then the run continues from the latest one).
     */
    public static Summary fit(SparkSession spark, TrainConfig config, boolean resume) throws IOException {
        TrainConfig cfg = config.validatedForRun();
        TrainingEvaluation.check(cfg);
        Optional<Checkpoint> existing = latestCheckpoint(cfg, spark);
        if (existing.isPresent() && !resume) {
            throw new IllegalArgumentException("run.output_dir = " + cfg.run().outputDir() + " already has committed"
                    + " checkpoints (latest: step " + existing.get().step() + "); pass --resume to continue that run,"
                    + " or choose another output directory");
        }
        int world = cfg.batch().workers();
        String attempt = spark.sparkContext().applicationId() + "-" + UUID.randomUUID();
        log.info(
                "training {} on {} barrier tasks, output {}{}",
                cfg.stage(),
                world,
                cfg.run().outputDir(),
                existing.map(c -> ", resuming after step " + c.step()).orElse(""));
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            ranks.add(r);
        }
        TrainingRun.Result[] byRank = new TrainingRun.Result[world];
        try (RunProgress progress =
                TrainingRun.progress(cfg, spark.sparkContext().hadoopConfiguration())) {
            byte[] token = JobToken.random();
            List<String> reports;
            try (ProgressServer server = startProgressServer(spark, token, progress)) {
                // The shuffle after the barrier stage makes it a map stage: Spark resubmits a failed barrier map
                // stage (up to spark.stage.maxConsecutiveAttempts), while a failed barrier result stage aborts the
                // job.
                reports = JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(ranks, world)
                        .rdd()
                        .barrier()
                        .mapPartitions(
                                new RankTask(
                                        cfg.asYaml(),
                                        attempt,
                                        server.host(),
                                        server.port(),
                                        token,
                                        new SerializableConfiguration(new Configuration(
                                                spark.sparkContext().hadoopConfiguration()))),
                                false,
                                ClassTag$.MODULE$.apply(String.class))
                        .toJavaRDD()
                        .repartition(1)
                        .collect();
            }
            for (String report : reports) {
                int tab = report.indexOf('\t');
                byRank[Integer.parseInt(report.substring(0, tab))] =
                        JSON.readValue(report.substring(tab + 1), TrainingRun.Result.class);
            }
            progress.missingSteps(existing.map(Checkpoint::step).orElse(0L), byRank[0].lastStep());
        }
        List<TrainingRun.Result> results = List.of(byRank);
        EvalRun.Result evaluation = null;
        if (byRank[0].finished() && cfg.run().evalConf() != null) {
            Checkpoint last = latestCheckpoint(cfg, spark)
                    .orElseThrow(() -> new IllegalStateException("the run finished but "
                            + cfg.run().outputDir() + " has no committed checkpoint to evaluate"));
            log.info(
                    "evaluating the final checkpoint (step {}) as {} says",
                    last.step(),
                    cfg.run().evalConf());
            evaluation = TrainingEvaluation.run(spark, cfg, last);
        }
        Summary summary = new Summary(results, evaluation);
        log.info("{}", summary.describe());
        return summary;
    }

    /**
     * The progress server on the driver: bound where Spark binds its own driver services
     * ({@code spark.driver.bindAddress}, which defaults to the host), reached at the host Spark advertises to the
     * executors ({@code spark.driver.host}).
     */
    private static ProgressServer startProgressServer(SparkSession spark, byte[] token, RunProgress progress)
            throws IOException {
        SparkConf conf = spark.sparkContext().conf();
        String host = conf.get("spark.driver.host");
        return ProgressServer.start(conf.get("spark.driver.bindAddress", host), host, token, progress);
    }

    private static Optional<Checkpoint> latestCheckpoint(TrainConfig cfg, SparkSession spark) throws IOException {
        URI out = outputUri(cfg.run().outputDir());
        Path scratch = Files.createTempDirectory("share4v-driver");
        try {
            return CheckpointStore.open(
                            out,
                            spark.sparkContext().hadoopConfiguration(),
                            "driver",
                            cfg.run().saveTotalLimit(),
                            scratch)
                    .latest();
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** A local path becomes a {@code file:} URI; anything with a scheme (hdfs://, s3a://, file:) stays as it is. */
    static URI outputUri(String dir) {
        URI u = URI.create(dir.replace(" ", "%20"));
        return u.getScheme() != null && u.getScheme().length() > 1
                ? u
                : Path.of(dir).toAbsolutePath().toUri();
    }

    /**
     * One barrier task: ring, connection to the driver's progress server, then the whole run of this rank; its report
     * {@code rank TAB result-as-JSON}.
     */
    static final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
        private final String configYaml;
        private final String attempt;
        private final String progressHost;
        private final int progressPort;
        private final byte[] progressToken;
        private final SerializableConfiguration hadoop;

        RankTask(
                String configYaml,
                String attempt,
                String progressHost,
                int progressPort,
                byte[] progressToken,
                SerializableConfiguration hadoop) {
            this.configYaml = configYaml;
            this.attempt = attempt;
            this.progressHost = progressHost;
            this.progressPort = progressPort;
            this.progressToken = progressToken;
            this.hadoop = hadoop;
        }

        @Override
        public Iterator<String> apply(Iterator<Integer> ignored) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            TrainConfig cfg = TrainConfig.fromYaml(configYaml);
            TcpRingCollective.Settings settings = cfg.collective().settings();
            String attemptId = attempt + "-a" + ctx.stageAttemptNumber();
            try (TcpRingCollective ring = BarrierRing.form(ctx, settings);
                    ProgressClient reporter = ProgressClient.connect(
                            progressHost,
                            progressPort,
                            progressToken,
                            attemptId,
                            ring.rank(),
                            ring.world(),
                            settings.connectTimeout())) {
                TrainingRun.RankContext rank =
                        new TrainingRun.RankContext(ring.rank(), ring.world(), attemptId, BarrierRing.gpuAddress(ctx));
                TrainingRun.Result result = TrainingRun.run(cfg, ring, rank, reporter, hadoop.value());
                return scala.collection.Iterator$.MODULE$.single(ring.rank() + "\t" + JSON.writeValueAsString(result));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
