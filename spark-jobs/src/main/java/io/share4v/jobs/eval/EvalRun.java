package io.share4v.jobs.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.job.BenchmarkResult;
import io.share4v.eval.job.BenchmarkTask;
import io.share4v.eval.job.ChunkWorker;
import io.share4v.eval.job.EvalConfig;
import io.share4v.eval.job.EvalDriver;
import io.share4v.eval.job.EvalLayout;
import io.share4v.eval.job.ModelSpec;
import io.share4v.eval.job.ProgressMonitor;
import io.share4v.eval.job.TaskReport;
import io.share4v.eval.report.Reports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch evaluation as a library call from a Spark application (what {@link EvalJob}, {@code bin/share4v eval} and the
 * trainer's evaluation hook call): the driver reads every benchmark's questions and settles its chunking
 * ({@link EvalDriver#plan}); one task per chunk index loads the model once and answers that chunk of every benchmark
 * ({@link ChunkWorker}), appending to its part file; a driver thread logs progress with the ETA from the part files;
 * at the end the driver merges, scores and records ({@link EvalDriver#finish}).
 *
 * <p>Tasks take their GPU as the training tasks do ({@code spark.task.resource.gpu.amount=1} in
 * {@code conf/spark-defaults-gpu.conf}): one task, one model, one GPU. A failed task is retried by Spark
 * ({@code spark.task.maxFailures}) and resumes from what its part file already holds; so does a re-run of a job that
 * died. The output directory must be on a file system every executor and the driver see (local for {@code local[N]},
 * a shared mount such as NFS on a cluster), as the model directory must.
 */
public final class EvalRun {
    private static final Logger log = LoggerFactory.getLogger(EvalRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the driver logs progress. */
    private static final long PROGRESS_SECONDS = 10;

    private EvalRun() {}

    /** What a run did: one result per benchmark, one report per task. */
    public record Result(List<BenchmarkResult> benchmarks, List<TaskReport> tasks) {
        /** Model loads over all tasks (one per task that had something to answer). */
        public int modelLoads() {
            return tasks.stream().mapToInt(TaskReport::modelLoads).sum();
        }
    }

    /** Evaluates as {@code config} says, in the job's layout under {@code output_dir}. */
    public static Result run(SparkSession spark, EvalConfig config) throws IOException {
        EvalConfig cfg = config.validatedForRun();
        return run(spark, cfg, EvalLayout.directory(EvalConfig.localPath(cfg.outputDir())));
    }

    /** Evaluates as {@code config} says, writing where {@code layout} says. */
    public static Result run(SparkSession spark, EvalConfig config, EvalLayout layout) throws IOException {
        EvalConfig cfg = config.validatedForRun();
        Instant started = Instant.now();
        int chunks = cfg.chunks() != null ? cfg.chunks() : spark.sparkContext().defaultParallelism();
        List<BenchmarkTask> tasks = EvalDriver.plan(cfg, layout, chunks);
        int taskCount = EvalDriver.taskCount(tasks);
        List<Integer> chunkIndices = new ArrayList<>();
        for (int c = 0; c < taskCount; c++) {
            chunkIndices.add(c);
        }
        log.info(
                "evaluating {} ({}) on {} with {} tasks: {}",
                cfg.model(),
                cfg.resolvedModelId(),
                cfg.benchmarks(),
                taskCount,
                cfg.outputDir());
        List<TaskReport> reports = new ArrayList<>();
        try (ProgressMonitor progress = ProgressMonitor.start(tasks, PROGRESS_SECONDS)) {
            try {
                for (String report : JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(chunkIndices, Math.max(1, taskCount))
                        .map(new ChunkTask(ModelSpec.of(cfg), tasks))
                        .collect()) {
                    reports.add(JSON.readValue(report, TaskReport.class));
                }
            } catch (Exception e) { // SparkException, which Scala throws undeclared
                throw inputError(e);
            }
            progress.poll().forEach(log::info);
        }
        List<BenchmarkResult> results = EvalDriver.finish(cfg, layout, tasks, reports, started);
        results.forEach(r -> log.info("{}", r.summaryLine()));
        if (layout.runFile() != null) {
            // the paper's table beside ours, from the files just written (share4v report --run DIR redoes it)
            Path dir = layout.runFile().getParent();
            Reports.write(dir);
            log.info(
                    "report: {}, {}, {}",
                    dir.resolve(Reports.MARKDOWN),
                    dir.resolve(Reports.JSON),
                    dir.resolve(Reports.PNG));
        }
        return new Result(results, reports);
    }

    /**
     * A task's bad-input error (a part file of another question file, a missing image) as itself, whose message names
     * the file and the line, rather than inside Spark's stage-failure text; other failures as they are.
     */
    private static RuntimeException inputError(Exception e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof EvalInputException bad) {
                return new EvalInputException(bad.getMessage(), e);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }

    /**
     * One task: chunk {@code i} of every benchmark ({@link ChunkWorker}), on the GPU Spark gave it, if any. Its report
     * travels as JSON text, as the training ranks' do, so the job runs in sessions whose Kryo requires registered
     * classes (the training and sharding jobs').
     */
    static final class ChunkTask implements Function<Integer, String> {
        private final ModelSpec model;
        private final List<BenchmarkTask> tasks;

        ChunkTask(ModelSpec model, List<BenchmarkTask> tasks) {
            this.model = model;
            this.tasks = List.copyOf(tasks);
        }

        @Override
        public String call(Integer chunk) throws IOException {
            TaskContext ctx = TaskContext.get();
            ResourceInformation gpu =
                    ctx == null ? null : ctx.resources().get("gpu").getOrElse(() -> null);
            log.info(
                    "evaluation chunk {} (attempt {}), GPU {}",
                    chunk,
                    ctx == null ? 0 : ctx.attemptNumber(),
                    gpu == null ? "none" : String.join(",", gpu.addresses()));
            return JSON.writeValueAsString(ChunkWorker.answer(chunk, model, tasks));
        }
    }
}
