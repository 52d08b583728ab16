package io.share4v.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.image.AspectMode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.fixtures.TinyModels;
import io.share4v.eval.job.BenchmarkInputs;
import io.share4v.eval.job.EvalConfig;
import io.share4v.eval.run.Runners;
import io.share4v.tensor.backend.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code conf/eval.yaml} against the layout the reference expects: the fixtures laid out under a root in
 * ShareGPT4V's playground ({@code playground/data/eval/...}), the conf loaded as it is with {@code data_root} set to
 * that root (the working directory when run for real), every path it names is the fixture's, and four benchmarks of
 * different question formats run through {@link EvalRun} with only the model, output and token budgets set.
 */
class ShippedConfTest {
    private static final Path CONF = Path.of("../conf/eval.yaml");
    /** The benchmarks whose ground truth the conf leaves out: judged by GPT-4, or scored by EvalAI's server. */
    private static final Set<String> UNSCORED = Set.of("llava_bench", "mmvet", "vqav2", "vizwiz");
    /** A jsonl, a JSON array (with text-only items), a TSV with base64 images, Q-Bench's JSON (share4v_v1). */
    private static final List<String> RUN = List.of("pope", "sqa", "mmbench", "qbench");

    private static SparkSession spark;
    private static Map<String, BenchmarkFixture> fixtures;
    private static Path model;

    @TempDir
    static Path root;

    @TempDir
    Path out;

    @BeforeAll
    static void layOut() throws Exception {
        fixtures = new LinkedHashMap<>();
        for (BenchmarkFixture f : BenchmarkLayout.layOutAll(root.resolve(BenchmarkLayout.PLAYGROUND))) {
            fixtures.put(f.benchmark(), f);
        }
        model = TinyModels.write(root.resolve("tiny-llava"), AspectMode.PAD, 5, Backends.create("java"));
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("share4v-eval-shipped-conf")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static EvalConfig conf(List<String> sets) throws Exception {
        List<String> all = new ArrayList<>(List.of("data_root=" + root));
        all.addAll(sets);
        return EvalConfig.load(CONF, null, all);
    }

    @Test
    void everyPathOfTheConfIsWhereTheReferenceLayoutPutsIt() throws Exception {
        EvalConfig cfg = conf(List.of());
        assertEquals(Runners.names(), cfg.benchmarks().stream().sorted().toList(), "the conf runs every benchmark");
        for (String b : cfg.benchmarks()) {
            BenchmarkFixture f = fixtures.get(b);
            BenchmarkInputs in = cfg.inputs().get(b);
            assertTrue(in.questions().startsWith(BenchmarkLayout.PLAYGROUND + "/"), b + ": " + in.questions());
            assertEquals(f.questions(), cfg.dataPath(in.questions()), b + ".questions");
            assertEquals(f.imageFolder(), cfg.dataPath(in.imageFolder()), b + ".image_folder");
            if (UNSCORED.contains(b)) {
                assertNull(in.annotations(), b + ".annotations: no ground truth to download");
            } else {
                assertEquals(f.annotations(), cfg.dataPath(in.annotations()), b + ".annotations");
                assertTrue(Files.exists(cfg.dataPath(in.annotations())), b + ".annotations");
            }
            assertNull(in.maxNewTokens(), b + ".max_new_tokens: the runner's");
        }
    }

    @Test
    void fourFormatsRunFromTheConfAsShipped() throws Exception {
        List<String> sets =
                new ArrayList<>(List.of("model=" + model, "output_dir=" + out, "benchmarks=" + String.join(",", RUN)));
        for (String b : RUN) {
            sets.add(b + ".max_new_tokens=4");
        }
        EvalRun.Result result = EvalRun.run(spark, conf(sets));
        assertEquals(2, result.modelLoads(), "local[2]: two chunks, one model load each");
        ObjectMapper json = new ObjectMapper();
        for (String b : RUN) {
            BenchmarkFixture f = fixtures.get(b);
            assertEquals(
                    f.questionCount(),
                    Files.readAllLines(out.resolve(b).resolve("answers.jsonl")).size(),
                    b);
            JsonNode score = json.readTree(out.resolve(b).resolve("score.json").toFile());
            assertEquals(f.questionCount(), score.get("answered").asInt(), b + ": " + score);
        }
        JsonNode sqa = json.readTree(out.resolve("sqa/score.json").toFile());
        assertEquals(4, sqa.get("img_total").asInt(), "problems.json scores the 4 image items: " + sqa);
        JsonNode config = json.readTree(out.resolve("run.json").toFile()).get("config");
        assertEquals(root.toString(), config.get("data_root").asText());
        assertEquals(
                "playground/data/eval/pope/llava_pope_test.jsonl",
                config.get("pope.questions").asText(),
                "the run records the conf's paths as written");
    }

    @Test
    void aPathMissingFromTheLayoutFailsNamingTheKeyAndTheResolvedFile() throws Exception {
        String wrong = "playground/data/eval/pope/llava_pope_tset.jsonl";
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> EvalRun.run(
                        spark,
                        conf(List.of(
                                "model=" + model, "output_dir=" + out, "benchmarks=pope", "pope.questions=" + wrong))));
        assertEquals("pope.questions = " + wrong + " (" + root.resolve(wrong) + "): no such file", e.getMessage());
    }
}
