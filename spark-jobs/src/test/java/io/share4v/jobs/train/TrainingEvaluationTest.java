package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.jobs.shard.ShardJob;
import io.share4v.train.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's evaluation hook: the tiny stage-2 run over the bundled sample with {@code run.eval_conf} evaluates
 * its final checkpoint on the POPE fixture (six questions) into {@code OUTPUT/eval/}; a bad evaluation config is refused before
 * training starts.
 */
class TrainingEvaluationTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = REPO.resolve("data-manifests/sample");
    private static SparkSession spark;
    private static Map<String, Object> sampleKeys;
    private static BenchmarkFixture pope;

    @TempDir
    static Path inputs;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        spark = ShardJob.kryo(SparkSession.builder())
                .master("local[2]")
                .appName("share4v-training-eval-test")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        TrainConfig base = TrainConfig.load(REPO.resolve("conf/tiny-finetune.yaml"), Map.of());
        sampleKeys = SampleInputs.prepare(spark, base, SAMPLE, SAMPLE.resolve("tokenizer"), inputs.resolve("sample"));
        pope = BenchmarkLayout.layOut("pope", inputs.resolve("eval-data"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private Path evalConf(String extra) throws Exception {
        return Files.writeString(out.resolve("eval.yaml"), """
                model: placeholder
                backend: java
                output_dir: placeholder
                chunks: 2
                benchmarks: [mme, pope]
                pope:
                  questions: %s
                  image_folder: %s
                  annotations: %s
                  max_new_tokens: 4
                %s""".formatted(
                        pope.questions(), pope.imageFolder(), pope.annotations(), extra));
    }

    private TrainConfig config(Path evalConf, String benchmarks) throws Exception {
        Map<String, Object> keys = new LinkedHashMap<>(sampleKeys);
        keys.put("run.output_dir", out.resolve("run").toString());
        keys.put("run.backend", "java");
        keys.put("run.eval_conf", evalConf.toString());
        keys.put("run.eval_benchmarks", benchmarks);
        return TrainConfig.load(REPO.resolve("conf/tiny-finetune.yaml"), keys, Map.of());
    }

    @Test
    void theFinalCheckpointIsEvaluatedIntoOutputEval() throws Exception {
        Share4vTraining.Summary s = Share4vTraining.fit(spark, config(evalConf(""), "pope"), false);
        assertTrue(s.lead().finished());
        assertEquals(1, s.evaluation().benchmarks().size(), "run.eval_benchmarks = pope narrows [mme, pope]");
        assertEquals(2, s.evaluation().modelLoads());
        Path eval = out.resolve("run/eval");
        assertEquals(6, Files.readAllLines(eval.resolve("pope/answers.jsonl")).size());
        assertTrue(Files.exists(eval.resolve("pope/score.json")));
        JsonNode run = new ObjectMapper().readTree(eval.resolve("run.json").toFile());
        long step = s.lead().lastStep();
        assertEquals(step, run.get("checkpoint").asLong(), run.toString());
        assertEquals("run-step-" + step, run.get("model_id").asText());
        assertTrue(run.get("model").asText().endsWith("model"), run.toString());
        assertTrue(s.describe().contains("evaluated on 1 benchmarks into eval/"), s.describe());
    }

    @Test
    void aBadEvaluationConfigIsRefusedBeforeTraining() throws Exception {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Share4vTraining.fit(spark, config(evalConf("batch_size: 0\n"), null), false));
        assertTrue(e.getMessage().contains("batch_size = 0 is invalid"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Share4vTraining.fit(spark, config(evalConf(""), "pope,vqa"), false));
        assertTrue(e.getMessage().contains("benchmarks = [pope, vqa] is invalid"), e.getMessage());
        assertTrue(!Files.exists(out.resolve("run/checkpoints")), "nothing trained");
        Map<String, Object> hdfs = new LinkedHashMap<>(sampleKeys);
        hdfs.put("run.output_dir", "hdfs://nn/run");
        hdfs.put("run.eval_conf", evalConf("").toString());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Share4vTraining.fit(
                        spark, TrainConfig.load(REPO.resolve("conf/tiny-finetune.yaml"), hdfs, Map.of()), false));
        assertTrue(e.getMessage().contains("run.eval_conf needs a local"), e.getMessage());
    }
}
