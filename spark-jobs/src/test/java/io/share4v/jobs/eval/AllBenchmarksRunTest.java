package io.share4v.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.image.AspectMode;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.answers.PythonJson;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.fixtures.TinyModels;
import io.share4v.eval.job.BenchmarkResult;
import io.share4v.eval.job.ChunkOutcome;
import io.share4v.eval.job.EvalConfig;
import io.share4v.eval.job.TaskReport;
import io.share4v.eval.report.ReportColumn;
import io.share4v.eval.report.Reports;
import io.share4v.eval.run.BenchmarkRunner;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.Runners;
import io.share4v.eval.score.Scorers;
import io.share4v.tensor.backend.Backends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One evaluation run over every benchmark's fixture (all thirteen runners) on a local[2] Spark: two chunks, each task
 * loading the tiny model once for all benchmarks; every answer file in question order in its runner's format and
 * readable by its scorer; a score wherever ground truth is laid out; and the report with the status the report
 * package gives each benchmark (scored, upload, judge, not run).
 */
class AllBenchmarksRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL_ID = "tiny-llava";

    /**
     * What the report must say for each benchmark of this run: POPE, ScienceQA, SEED, Q-Bench, GQA, TextVQA and
     * MMBench(-CN) dev are scored from their laid-out ground truth; VizWiz too, over the fixture's synthetic
     * annotations (a local score with the server-split caveat); VQAv2 test-dev has none, so its answers are for upload;
     * LLaVA-Bench and MM-Vet need the GPT-4 judge; MME is scored over its 14 subtasks (one image each).
     */
    private static final Map<String, String> STATUS = Map.ofEntries(
            Map.entry("llava_bench", "judge"),
            Map.entry("mme", "scored"),
            Map.entry("mmbench", "scored"),
            Map.entry("mmbench_cn", "scored"),
            Map.entry("seed", "scored"),
            Map.entry("mmvet", "judge"),
            Map.entry("qbench", "scored"),
            Map.entry("sqa", "scored"),
            Map.entry("vqav2", "upload"),
            Map.entry("vizwiz", "scored"),
            Map.entry("gqa", "scored"),
            Map.entry("textvqa", "scored"),
            Map.entry("pope", "scored"));

    @TempDir
    Path root;

    @Test
    void everyBenchmarkInOneRunWithOneModelLoadPerTask() throws Exception {
        List<BenchmarkFixture> fixtures = BenchmarkLayout.layOutAll(root.resolve("data"));
        assertEquals(
                Runners.names(),
                fixtures.stream().map(BenchmarkFixture::benchmark).sorted().toList(),
                "a fixture for every runner");
        Path model = TinyModels.write(root.resolve(MODEL_ID), AspectMode.PAD, 11, Backends.create("java"));
        Path out = root.resolve("eval");
        Map<String, Integer> maxNewTokens = new LinkedHashMap<>();
        List<String> sets = new ArrayList<>(List.of(
                "model=" + model,
                "output_dir=" + out,
                "backend=java",
                "batch_size=2",
                "chunks=2",
                "benchmarks="
                        + String.join(
                                ",",
                                fixtures.stream()
                                        .map(BenchmarkFixture::benchmark)
                                        .toList())));
        for (BenchmarkFixture f : fixtures) {
            String b = f.benchmark();
            int tokens = 4 + maxNewTokens.size() % 5; // 4 to 8, a different budget for neighbouring benchmarks
            maxNewTokens.put(b, tokens);
            sets.add(b + ".questions=" + f.questions());
            sets.add(b + ".image_folder=" + (f.imageFolder() == null ? "null" : f.imageFolder()));
            sets.add(b + ".annotations=" + (f.annotations() == null ? "null" : f.annotations()));
            sets.add(b + ".max_new_tokens=" + tokens);
        }
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("share4v-eval-all-benchmarks")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        EvalRun.Result result;
        try {
            result = EvalRun.run(spark, EvalConfig.load(null, null, sets));
        } finally {
            spark.stop();
        }

        assertEquals(2, result.tasks().size(), "two chunks, one task each");
        for (TaskReport t : result.tasks()) {
            assertEquals(1, t.modelLoads(), "task " + t.chunk() + " loads the model once for all benchmarks");
            assertEquals(
                    maxNewTokens.keySet(),
                    new TreeSet<>(
                            t.outcomes().stream().map(ChunkOutcome::benchmark).toList()),
                    "task " + t.chunk() + " answers its chunk of every benchmark");
        }
        assertEquals(2, result.modelLoads());
        assertEquals(fixtures.size(), result.benchmarks().size());

        for (BenchmarkFixture f : fixtures) {
            checkAnswers(f, out.resolve(f.benchmark()), maxNewTokens.get(f.benchmark()));
        }
        for (BenchmarkResult r : result.benchmarks()) {
            boolean scored = STATUS.get(r.benchmark()).equals("scored");
            assertEquals(scored, r.score() != null, r.benchmark() + ": " + r.scoreError());
            assertEquals(scored, Files.exists(out.resolve(r.benchmark()).resolve("score.json")), r.benchmark());
        }
        BenchmarkResult mme = result.benchmarks().stream()
                .filter(r -> r.benchmark().equals("mme"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                mme.score().get("perception").isNumber()
                        && mme.score().get("cognition").isNumber(),
                mme.score().toString());
        assertEquals(28, mme.score().get("answered").intValue(), "all 14 subtasks answered, none left out");

        checkReport(out);
    }

    /**
     * One line per question, in question order, each exactly the runner's line for its question and answer text as
     * the reference's {@code json.dumps} writes it;
     * the scorer reads them all; {@code run.json} has the budget given and at most that many tokens per answer.
     */
    private static void checkAnswers(BenchmarkFixture f, Path dir, int maxNewTokens) throws Exception {
        String b = f.benchmark();
        BenchmarkRunner runner = Runners.named(b);
        List<EvalQuestion> questions = runner.readQuestions(f.questions());
        List<String> lines = Files.readAllLines(dir.resolve("answers.jsonl"), StandardCharsets.UTF_8);
        assertEquals(f.questionCount(), lines.size(), b + ": one line per question");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(
                    PythonJson.dumps(runner.answerLine(
                            questions.get(i),
                            line.path("response").isTextual()
                                    ? line.get("response").asText() // Q-Bench's line: the record + response
                                    : line.get("text").asText(),
                            line.path("answer_id").asText(null),
                            MODEL_ID)),
                    lines.get(i),
                    b + " line " + (i + 1) + ": the runner's line for question " + i + ", keys in its order");
        }
        AnswerFile read = Scorers.named(b).readAnswers(dir.resolve("answers.jsonl"));
        assertEquals(f.questionCount(), read.size(), b + ": the scorer reads every line");

        JsonNode run = JSON.readTree(dir.resolve("run.json").toFile());
        assertEquals(f.questionCount(), run.get("answered").asInt(), b);
        assertEquals(f.questionCount(), run.get("answered_this_run").asInt(), b);
        assertEquals(maxNewTokens, run.get("max_new_tokens").asInt(), b);
        assertEquals(2, run.get("chunks").asInt(), b);
        long tokens = run.get("new_tokens").asLong();
        assertTrue(
                tokens >= f.questionCount() && tokens <= (long) maxNewTokens * f.questionCount(),
                b + ": " + tokens + " tokens for " + f.questionCount() + " answers of at most " + maxNewTokens);
        assertEquals(runner.settings().convMode(), run.get("conv_mode").asText(), b);
    }

    /** report.json has every column with the benchmark's status; report.md names every column; report.png exists. */
    private static void checkReport(Path out) throws Exception {
        JsonNode report = JSON.readTree(out.resolve(Reports.JSON).toFile());
        JsonNode rows = report.get("rows");
        assertEquals(ReportColumn.ALL.size(), rows.size(), "one row per column of the paper's table (MME has two)");
        Set<String> benchmarks = new TreeSet<>();
        String markdown = Files.readString(out.resolve(Reports.MARKDOWN), StandardCharsets.UTF_8);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String b = row.get("benchmark").asText();
            benchmarks.add(b);
            assertEquals(ReportColumn.ALL.get(i).label(), row.get("column").asText(), "the paper's order");
            assertEquals(STATUS.get(b), row.get("status").asText(), b + ": " + row);
            assertEquals(
                    row.get("status").asText().equals("scored"), row.get("ours").isNumber(), b + ": " + row);
            assertEquals(row.get("questions").asInt(), row.get("answered").asInt(), b);
            assertTrue(markdown.contains(row.get("column").asText()), row.get("column") + " in report.md");
            if (!row.get("status").asText().equals("scored")) {
                assertTrue(row.hasNonNull("reason"), b + ": a row without a number says why: " + row);
            }
        }
        assertEquals(STATUS.keySet(), benchmarks, "every benchmark has its row");
        JsonNode perception = rows.get(columnIndex("mme"));
        JsonNode cognition = rows.get(columnIndex("mme") + 1);
        assertEquals("MME-cognition", cognition.get("column").asText());
        assertTrue(perception.get("ours").isNumber() && cognition.get("ours").isNumber(), perception + " " + cognition);
        assertTrue(report.get("checkpoint").isNull(), "not a training checkpoint: " + report.get("checkpoint"));
        assertEquals(MODEL_ID, report.get("model_id").asText());
        assertNotNull(report.get("throughput"));
        assertEquals(STATUS.size(), report.get("throughput").size());
        assertTrue(Files.size(out.resolve(Reports.PNG)) > 0, "report.png");
        assertFalse(markdown.isBlank());
    }

    private static int columnIndex(String benchmark) {
        for (int i = 0; i < ReportColumn.ALL.size(); i++) {
            if (ReportColumn.ALL.get(i).benchmark().equals(benchmark)) {
                return i;
            }
        }
        throw new IllegalArgumentException(benchmark);
    }
}
