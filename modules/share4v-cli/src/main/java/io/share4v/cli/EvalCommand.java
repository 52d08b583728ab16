package io.share4v.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.job.BenchmarkResult;
import io.share4v.eval.job.EvalConfig;
import io.share4v.eval.job.EvalLayout;
import io.share4v.eval.run.Runners;
import io.share4v.jobs.eval.EvalRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v eval --benchmark NAME --model DIR --questions FILE --image-folder DIR --answers FILE
 * [--max-new-tokens N] [--master local[N]]}: answers one question file as the reference's runner for the benchmark
 * does and writes the reference's answer file to FILE, through the evaluation job's code ({@link EvalRun}) on a local
 * Spark: {@code local[N]} answers in N chunks, one model per task. The per-chunk answers, the plan and
 * {@code run.json} go to {@code FILE.parts/}, which is kept, so that re-running the same command resumes (or, when
 * complete, only merges again); delete it to start over.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Answers a benchmark's question file as the reference's runner does (prompt, template, image"
                    + " preprocessing, greedy decoding) and writes the reference's answer file (jsonl).",
            "Runs the evaluation job's code on a local Spark; FILE.parts/ keeps the chunks so a re-run resumes."
        })
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    ModelRunOptions modelRun;

    @Option(
            names = "--benchmark",
            required = true,
            paramLabel = "NAME",
            description = "Benchmark: ${COMPLETION-CANDIDATES}.",
            completionCandidates = BenchmarkNames.class)
    String benchmark;

    @Option(names = "--questions", required = true, paramLabel = "FILE", description = "The question file.")
    Path questions;

    @Option(
            names = "--image-folder",
            paramLabel = "DIR",
            description = "The folder the questions' image paths are relative to.")
    Path imageFolder;

    @Option(names = "--answers", required = true, paramLabel = "FILE", description = "The answer file to write.")
    Path answers;

    @Option(
            names = "--max-new-tokens",
            paramLabel = "N",
            description = "Token budget (default: the runner's, 128 for model_vqa_loader benchmarks).")
    Integer maxNewTokens;

    @Option(
            names = "--master",
            paramLabel = "URL",
            defaultValue = "local[1]",
            description = "Spark master (default ${DEFAULT-VALUE}; local[N]: N tasks, each loading the model).")
    String master;

    @Option(
            names = "--batch-size",
            paramLabel = "B",
            defaultValue = "8",
            description = "Questions decoded together per task (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--chunks",
            paramLabel = "C",
            description = "Contiguous chunks (= tasks) (default: the master's parallelism; a resumed run keeps its"
                    + " recorded chunking).")
    Integer chunks;

    @Option(
            names = "--annotations",
            paramLabel = "FILE|DIR",
            description = "Ground truth: score the answers at the end and print the scorer's JSON (as share4v score).")
    Path annotations;

    @Option(
            names = "--model-id",
            paramLabel = "ID",
            description = "The answers' model_id (default: the model directory's name).")
    String modelId;

    @Override
    public Integer call() throws Exception {
        modelRun.open(); // a bad --model fails here, naming the option, before Spark starts
        modelRun.createBackend(); // checks --backend and sizes the BLAS pool the local tasks share (--threads)
        EvalConfig cfg = EvalConfig.load(null, keys(), List.of()).validatedForRun();
        SparkSession spark = SparkSession.builder()
                .master(master)
                .appName("share4v-eval")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        EvalRun.Result result;
        try {
            result = EvalRun.run(spark, cfg, EvalLayout.singleFile(answers));
        } finally {
            spark.stop();
        }
        BenchmarkResult r = result.benchmarks().get(0);
        PrintWriter err = spec.commandLine().getErr();
        err.println(String.format(
                Locale.ROOT,
                "%s: questions %d, answered %d (%d this run, %d resumed), %.3f questions/s, %.2f tokens/s per task,"
                        + " %d chunks -> %s",
                r.benchmark(),
                r.questions(),
                r.answered(),
                r.stats().questions(),
                r.resumed(),
                finite(r.stats().questionsPerSecond()),
                finite(r.stats().tokensPerSecond()),
                result.tasks().size(),
                answers));
        err.flush();
        if (r.scoreError() != null) {
            throw new IllegalArgumentException("scoring failed (the answers are kept): " + r.scoreError());
        }
        if (r.score() != null) {
            ObjectNode out = JSON.createObjectNode().put("benchmark", r.benchmark());
            out.setAll(r.score());
            spec.commandLine().getOut().println(JSON.writeValueAsString(out));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private Map<String, Object> keys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("model", modelRun.modelDir().toString());
        k.put("vision_tower", modelRun.model.visionTower == null ? null : modelRun.model.visionTower.toString());
        k.put("model_id", modelId);
        k.put("backend", modelRun.backend.name);
        k.put(
                "output_dir",
                EvalLayout.singleFile(answers).benchmark(benchmark).parts().toString());
        k.put("batch_size", batchSize);
        k.put("chunks", chunks);
        k.put("benchmarks", List.of(benchmark));
        if (!EvalConfig.knownBenchmarks().contains(benchmark)) {
            throw new IllegalArgumentException(
                    "--benchmark " + benchmark + " is unknown: expected one of " + String.join(", ", Runners.names()));
        }
        k.put(benchmark + ".questions", questions.toString());
        k.put(benchmark + ".image_folder", imageFolder == null ? null : imageFolder.toString());
        k.put(benchmark + ".annotations", annotations == null ? null : annotations.toString());
        k.put(benchmark + ".max_new_tokens", maxNewTokens);
        return k;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
