package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.jobs.shard.ShardJob;
import io.share4v.train.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training through Spark's barrier mode on a local Spark, stage 2 over the bundled sample with the tiny model: a
 * run stopped early is refused without --resume and finishes with it; a worker that dies makes Spark retry the
 * stage, which resumes from the last committed checkpoint and finishes without a person.
 */
class Share4vTrainingTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = REPO.resolve("data-manifests/sample");
    private static SparkSession spark;

    @TempDir
    static Path inputs;

    @TempDir
    Path out;

    private static Map<String, Object> sampleKeys;

    @BeforeAll
    static void start() throws Exception {
        // local[2,4]: two slots for the two barrier tasks, and a failed task may be retried (local mode's default
        // is no retry) so that a failed attempt of the training stage is resubmitted
        spark = ShardJob.kryo(SparkSession.builder())
                .master("local[2,4]")
                .appName("share4v-training-test")
                .config("spark.ui.enabled", "false")
                .config("spark.stage.maxConsecutiveAttempts", "3")
                .getOrCreate();
        TrainConfig base = TrainConfig.load(REPO.resolve("conf/tiny-finetune.yaml"), Map.of());
        sampleKeys = SampleInputs.prepare(spark, base, SAMPLE, SAMPLE.resolve("tokenizer"), inputs);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private TrainConfig config(Map<String, Object> extra) throws Exception {
        Map<String, Object> keys = new LinkedHashMap<>(sampleKeys);
        keys.put("run.output_dir", out.toString());
        keys.put("run.backend", "java");
        keys.putAll(extra);
        return TrainConfig.load(REPO.resolve("conf/tiny-finetune.yaml"), keys, Map.of());
    }

    @Test
    void aRunStoppedEarlyNeedsResumeAndThenFinishes() throws Exception {
        Share4vTraining.Summary first = Share4vTraining.fit(spark, config(Map.of("run.stop_after", 2L)), false);
        assertEquals(2, first.ranks().size());
        assertFalse(first.lead().finished());
        assertEquals(2, first.lead().lastStep());
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> Share4vTraining.fit(spark, config(Map.of()), false));
        assertTrue(refused.getMessage().contains("pass --resume"), refused.getMessage());

        Share4vTraining.Summary rest = Share4vTraining.fit(spark, config(Map.of()), true);
        assertTrue(rest.lead().finished(), rest.describe());
        assertEquals(2, rest.lead().firstStep());
        assertEquals(rest.lead().totalSteps(), rest.lead().lastStep());
        assertTrue(Files.isRegularFile(out.resolve("final/config.json")));
        assertEquals(
                rest.lead().totalSteps(),
                Files.readAllLines(out.resolve("metrics.jsonl")).size(),
                "one metrics line per step over both runs");
    }

    @Test
    void aWorkerThatDiesIsRetriedByTheStageAndResumes() throws Exception {
        System.setProperty("share4v.train.fail_rank_at_step", "1@3");
        long total;
        try {
            Share4vTraining.Summary s = Share4vTraining.fit(spark, config(Map.of("run.save_every", 2)), false);
            assertTrue(s.lead().finished(), s.describe());
            assertEquals(2, s.lead().firstStep(), "the retried stage resumed after the step-2 checkpoint");
            total = s.lead().totalSteps();
        } finally {
            System.clearProperty("share4v.train.fail_rank_at_step");
        }
        assertTrue(Files.exists(out.resolve("_fault-1@3")), "the fault fired once");
        // the driver wrote every step's line from both attempts; the retry repeated the steps after step 2
        Map<Long, JsonNode> lastLineOfStep = new TreeMap<>();
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode n = new ObjectMapper().readTree(line);
            steps.add(n.get("step").asLong());
            lastLineOfStep.put(n.get("step").asLong(), n);
        }
        assertEquals(List.of(0L, 1L, 2L), steps.subList(0, 3), "attempt 1 ran steps 0..2");
        assertEquals(2L, steps.get(3), "attempt 2 resumed at step 2: " + steps);
        assertEquals(total, lastLineOfStep.size(), "every step has a line");
        assertEquals(total - 1, steps.get(steps.size() - 1));
        for (JsonNode n : lastLineOfStep.values()) {
            assertEquals(2, n.get("ranks").asInt(), "both ranks' times: " + n);
            assertTrue(n.get("step_s").asDouble() >= n.get("data_stall_max_s").asDouble(), n.toString());
        }
        assertTrue(Files.size(out.resolve("curves.png")) > 0);
    }
}
