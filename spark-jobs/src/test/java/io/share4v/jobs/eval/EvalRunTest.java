package io.share4v.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.image.AspectMode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.fixtures.TinyModels;
import io.share4v.eval.job.EvalConfig;
import io.share4v.tensor.backend.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation job on a local[2] Spark with the tiny model over the POPE fixture (six questions, two of each split):
 * two chunks with one model load per task, the merged answers equal to answering in one chunk, resuming after a crash, a changed question file
 * refused, scoring and the run records.
 */
class EvalRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;
    private static BenchmarkFixture pope;
    private static Path model;

    @TempDir
    static Path fixtures;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("share4v-eval-test")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        pope = BenchmarkLayout.layOut("pope", fixtures);
        model = TinyModels.write(fixtures.resolve("tiny-llava"), AspectMode.PAD, 7, Backends.create("java"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static EvalConfig config(Path output, Integer chunks, Path questions) throws Exception {
        return EvalConfig.load(
                null,
                Map.of("model", model.toString(), "output_dir", output.toString(), "backend", "java", "batch_size", 2),
                List.of(
                        "benchmarks=pope",
                        "chunks=" + (chunks == null ? "null" : chunks),
                        "pope.questions=" + questions,
                        "pope.image_folder=" + pope.imageFolder(),
                        "pope.annotations=" + pope.annotations(),
                        "pope.max_new_tokens=6"));
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    /** question_id and text of each answer line: what must not depend on the chunking or on resuming. */
    private static List<String> idAndText(Path answers) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : lines(answers)) {
            out.add(n.get("question_id") + "\t" + n.get("text").asText());
        }
        return out;
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> k = new TreeSet<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void twoChunksOneModelPerTaskTheSameAnswersAsOneChunkScoredAndRecorded() throws Exception {
        EvalRun.Result two = EvalRun.run(spark, config(out.resolve("two"), null, pope.questions()));
        assertEquals(2, two.tasks().size(), "local[2]: Spark's default parallelism, one chunk per task");
        assertEquals(2, two.modelLoads(), "one model load per task");
        Path answers = out.resolve("two/pope/answers.jsonl");
        List<JsonNode> written = lines(answers);
        assertEquals(6, written.size());
        List<String> ids =
                written.stream().map(n -> n.get("question_id").toString()).toList();
        assertEquals(List.of("1", "2", "10000001", "10000002", "20000001", "20000002"), ids);
        assertEquals(
                Set.of("question_id", "prompt", "text", "answer_id", "model_id", "metadata"), keys(written.get(0)));
        assertEquals("tiny-llava", written.get(0).get("model_id").asText());
        assertEquals(
                "Is there a snowboard in the image?\nAnswer the question using a single word or phrase.",
                written.get(0).get("prompt").asText());
        assertEquals(3, lines(out.resolve("two/pope/parts/chunk-00000.jsonl")).size(), "ceil(6 / 2) = 3");
        assertEquals(3, lines(out.resolve("two/pope/parts/chunk-00001.jsonl")).size());

        JsonNode run = JSON.readTree(out.resolve("two/pope/run.json").toFile());
        for (String k : List.of(
                "benchmark",
                "questions",
                "answered",
                "new_tokens",
                "seconds",
                "questions_per_second",
                "tokens_per_second",
                "image_wait_fraction",
                "chunks",
                "max_new_tokens",
                "conv_mode",
                "image_policy")) {
            assertTrue(run.has(k), k + " in " + run);
        }
        assertEquals(6, run.get("answered").asInt());
        assertEquals(6, run.get("max_new_tokens").asInt());
        assertEquals("vicuna_v1", run.get("conv_mode").asText());
        JsonNode score = JSON.readTree(out.resolve("two/pope/score.json").toFile());
        assertTrue(score.has("f1") && score.has("adversarial"), score.toString());
        assertEquals(6, score.get("answered").asInt(), score.toString());
        JsonNode top = JSON.readTree(out.resolve("two/run.json").toFile());
        assertEquals(
                Set.of(
                        "model",
                        "model_id",
                        "vision_tower",
                        "checkpoint",
                        "git_commit",
                        "config",
                        "started",
                        "finished",
                        "benchmarks"),
                keys(top));
        assertTrue(top.get("checkpoint").isNull());
        assertEquals("pope", top.get("benchmarks").get(0).asText());
        assertEquals(6, top.get("config").get("pope.max_new_tokens").asInt());

        EvalRun.Result one = EvalRun.run(spark, config(out.resolve("one"), 1, pope.questions()));
        assertEquals(1, one.modelLoads());
        assertEquals(idAndText(answers), idAndText(out.resolve("one/pope/answers.jsonl")));

        EvalRun.Result again = EvalRun.run(spark, config(out.resolve("two"), null, pope.questions()));
        assertEquals(0, again.modelLoads(), "a complete run has nothing left to answer");
        assertEquals(0, again.benchmarks().get(0).stats().questions());
        assertEquals(written, lines(answers), "answer ids included: nothing was answered again");

        EvalConfig wrongTruth = EvalConfig.fromKeys(withKey(
                config(out.resolve("two"), null, pope.questions()),
                "pope.annotations",
                pope.questions().toString()));
        EvalRun.Result unscored = EvalRun.run(spark, wrongTruth);
        assertTrue(unscored.benchmarks().get(0).scoreError() != null);
        JsonNode failed = JSON.readTree(out.resolve("two/pope/run.json").toFile());
        assertTrue(failed.get("score_error").asText().contains("coco_pope"), failed.toString());
        assertEquals(written, lines(answers), "the answers are kept");
        assertTrue(!Files.exists(out.resolve("two/pope/score.json")), "no stale score beside the error");
    }

    private static Map<String, Object> withKey(EvalConfig cfg, String key, Object value) {
        Map<String, Object> keys = new java.util.LinkedHashMap<>(cfg.asKeys());
        keys.put(key, value);
        return keys;
    }

    @Test
    void aRunResumesAfterACrashAnsweringOnlyTheRest() throws Exception {
        EvalRun.run(spark, config(out.resolve("full"), 2, pope.questions()));
        Path parts = out.resolve("crashed/pope/parts");
        Files.createDirectories(parts);
        Files.copy(out.resolve("full/pope/parts/plan.json"), parts.resolve("plan.json"));
        List<String> chunk0 = Files.readAllLines(out.resolve("full/pope/parts/chunk-00000.jsonl"));
        // chunk 0: one answer and a torn second line; chunk 1: never started
        Files.writeString(
                parts.resolve("chunk-00000.jsonl"),
                chunk0.get(0) + "\n" + chunk0.get(1).substring(0, 17));

        EvalRun.Result resumed = EvalRun.run(spark, config(out.resolve("crashed"), 7, pope.questions()));
        assertEquals(2, resumed.tasks().size(), "the recorded chunking (2), not chunks = 7");
        assertEquals(5, resumed.benchmarks().get(0).stats().questions(), "only the five missing answers");
        assertEquals(1, resumed.benchmarks().get(0).resumed());
        assertEquals(
                idAndText(out.resolve("full/pope/answers.jsonl")),
                idAndText(out.resolve("crashed/pope/answers.jsonl")));
        assertEquals(
                chunk0.get(0),
                Files.readAllLines(out.resolve("crashed/pope/answers.jsonl")).get(0));
    }

    @Test
    void aChangedQuestionFileIsRefused() throws Exception {
        Path questions = Files.copy(pope.questions(), out.resolve("questions.jsonl"));
        EvalRun.run(spark, config(out.resolve("run"), 2, questions));
        List<String> original = Files.readAllLines(pope.questions());
        List<String> changed = new ArrayList<>(original);
        changed.set(0, changed.get(0).replace("snowboard", "horse"));
        assertNotEquals(original, changed);
        Files.write(questions, changed);
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> EvalRun.run(spark, config(out.resolve("run"), 2, questions)));
        assertTrue(e.getMessage().contains("plan.json: the question file changed"), e.getMessage());
        assertTrue(e.getMessage().contains("remove " + out.resolve("run/pope/parts")), e.getMessage());

        // without the plan, each kept line is checked against the question at its position
        Files.delete(out.resolve("run/pope/parts/plan.json"));
        List<String> swapped = new ArrayList<>(original);
        swapped.set(0, original.get(1));
        swapped.set(1, original.get(0));
        Files.write(questions, swapped);
        e = assertThrows(EvalInputException.class, () -> EvalRun.run(spark, config(out.resolve("run"), 2, questions)));
        assertTrue(
                e.getMessage()
                        .contains("chunk-00000.jsonl: line 1 answers question_id = 1, but question 1 of the"
                                + " question file (this line's position) has question_id = 2"),
                e.getMessage());
        assertNotEquals(null, e.getCause(), "the Spark failure is kept as the cause");
    }

    @Test
    void evalJobRefusesABadKeyBeforeSparkStarts() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int exit;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = new picocli.CommandLine(new EvalJob())
                    .execute("--conf", "../conf/eval.yaml", "--set", "model=/m", "--set", "batch_size=0");
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, exit);
        assertTrue(
                err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("batch_size = 0 is invalid"),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aBadQuestionFileFailsBeforeAnyTaskStarts() throws Exception {
        Path questions = Files.writeString(out.resolve("bad.jsonl"), "{\"question_id\": 1, \"image\": \"red.png\"}\n");
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> EvalRun.run(spark, config(out.resolve("bad"), 2, questions)));
        assertTrue(e.getMessage().contains("bad.jsonl"), e.getMessage());
        assertTrue(!Files.exists(out.resolve("bad/pope/parts")), "nothing planned");
    }
}
