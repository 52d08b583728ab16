package io.share4v.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.shard.ShardRow;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.data.TestShards;
import io.share4v.train.metrics.RunProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of the tiny stage 2 (12 rows, 2 workers x micro 2 x accumulation 2, 3 epochs = 6 steps) with a held-out
 * split of 5 rows, longer than any training row (so the model's buffers grow for it), and over two shard
 * directories holding the same 12 rows: the training result equals the plain run's bit for bit.
 */
class ValidationRunTest {
    private static final TestShards.Facts FACTS = new TestShards.Facts(
            "v1", "pad", RunFixture.fingerprint(), "group_by_modality_length", RunFixture.WORLD, 2, "bytes", 2048);

    @TempDir
    static Path dir;

    private static Path model;
    private static Path shards;
    private static Path heldOut;
    private static List<RunFixture.Outcome> plain;
    private static Path validatedOut;
    private static List<RunFixture.Outcome> validated;

    @BeforeAll
    static void plainAndValidatedRuns() throws IOException {
        model = RunFixture.tinyModel(dir.resolve("model"));
        List<ShardRow> rows = TestShards.rows(12, FACTS);
        shards = TestShards.write(dir.resolve("train"), rows, new int[] {6, 6}, 4, FACTS);
        List<ShardRow> evalRows = TestShards.rows(5, FACTS).stream()
                .map(ValidationRunTest::longer)
                .toList();
        heldOut = TestShards.write(dir.resolve("held-out"), evalRows, new int[] {5}, 4, FACTS);
        plain = RunFixture.run(stage2(dir.resolve("plain"), List.of(shards), Map.of()), "plain");
        validatedOut = dir.resolve("validated");
        validated = RunFixture.run(stage2(validatedOut, List.of(shards), validation()), "validated");
    }

    private static Map<String, String> validation() {
        return Map.of("data.eval_shards", "[" + heldOut + "]", "run.eval_every", "4");
    }

    private static TrainConfig stage2(Path output, List<Path> dirs, Map<String, String> sets) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("optimizer.num_train_epochs", "3"));
        all.put("data.shards", dirs.stream().map(Path::toString).collect(Collectors.joining(", ", "[", "]")));
        all.putAll(sets);
        return RunFixture.config("finetune", model, model.resolve("vision_tower"), null, shards, output, all);
    }

    /** The row with 12 more supervised tokens. */
    private static ShardRow longer(ShardRow r) {
        int n = r.inputIds().length;
        int[] ids = Arrays.copyOf(r.inputIds(), n + 12);
        int[] labels = Arrays.copyOf(r.labels(), n + 12);
        for (int t = n; t < n + 12; t++) {
            ids[t] = 2000 + t;
            labels[t] = ids[t];
        }
        return new ShardRow(
                r.id(),
                r.dataset(),
                r.recordIndex(),
                r.order(),
                r.template(),
                r.aspect(),
                ids,
                labels,
                r.nTokens() + 12,
                r.hasImage(),
                r.image(),
                r.imagePath(),
                r.width(),
                r.height(),
                r.mismatch());
    }

    /** The row numbered {@code order - shift}: its place in a directory that starts at row {@code shift}. */
    private static ShardRow shifted(ShardRow r, long shift) {
        return new ShardRow(
                r.id(),
                r.dataset(),
                r.recordIndex(),
                r.order() - shift,
                r.template(),
                r.aspect(),
                r.inputIds(),
                r.labels(),
                r.nTokens(),
                r.hasImage(),
                r.image(),
                r.imagePath(),
                r.width(),
                r.height(),
                r.mismatch());
    }

    private static List<ObjectNode> evalLines(Path output) throws IOException {
        return RunFixture.metrics(output).stream().filter(n -> n.has("event")).toList();
    }

    @Test
    void validationLeavesTrainingBitwiseAndIsLoggedAfterEveryFourthAndTheLastStep() throws IOException {
        for (RunFixture.Outcome o : validated) {
            assertArrayEquals(plain.get(0).params(), o.params(), "eval on = eval off, bitwise");
        }
        List<ObjectNode> lines = RunFixture.metrics(validatedOut);
        assertEquals(8, lines.size(), "6 step lines, 2 validation lines");
        assertEquals(
                List.of(-1L, -1L, -1L, -1L, 4L, -1L, -1L, 6L),
                lines.stream()
                        .map(n -> n.has("event") ? n.get("step").asLong() : -1L)
                        .toList(),
                "validation after step 4 and after the last step, each after its step line");
        for (ObjectNode e : evalLines(validatedOut)) {
            assertEquals("eval", e.get("event").asText());
            assertEquals(5, e.get("eval_samples").asLong());
            assertEquals(3, e.get("eval_micro_batches").asLong(), "micro-batches of 2, 2 and 1 rows");
            assertTrue(e.get("eval_tokens").asLong() > 5 * 12);
            double loss = e.get("eval_loss").asDouble();
            assertTrue(loss > 0 && loss < 20, e.toString());
            assertTrue(e.get("eval_loss_batch_mean").asDouble() > 0, e.toString());
            assertTrue(e.get("eval_s").asDouble() > 0, e.toString());
        }
        assertTrue(Files.size(validatedOut.resolve(RunProgress.CURVES)) > 0);
    }

    @Test
    void twoShardDirectoriesTrainAsOneAndAResumedRunRepeatsNoValidation() throws IOException {
        List<ShardRow> rows = TestShards.rows(12, FACTS);
        Path first = TestShards.write(dir.resolve("first"), rows.subList(0, 8), new int[] {5, 3}, 4, FACTS);
        Path second = TestShards.write(
                dir.resolve("second"),
                rows.subList(8, 12).stream().map(r -> shifted(r, 8)).toList(),
                new int[] {4},
                4,
                FACTS);
        Path out = dir.resolve("two-dirs");
        Map<String, String> stopped = new HashMap<>(validation());
        stopped.put("run.stop_after", "4");
        RunFixture.run(stage2(out, List.of(first, second), stopped), "two-1");
        List<RunFixture.Outcome> resumed = RunFixture.run(stage2(out, List.of(first, second), validation()), "two-2");
        assertEquals(4, resumed.get(0).result().firstStep());
        for (RunFixture.Outcome o : resumed) {
            assertArrayEquals(plain.get(0).params(), o.params(), "the rows of one directory, in the same order");
        }
        List<ObjectNode> got = evalLines(out);
        List<ObjectNode> want = evalLines(validatedOut);
        assertEquals(
                List.of(4L, 6L), got.stream().map(n -> n.get("step").asLong()).toList());
        for (int i = 0; i < 2; i++) {
            assertEquals(
                    want.get(i).get("eval_loss").asDouble(),
                    got.get(i).get("eval_loss").asDouble(),
                    0.0);
        }
    }

    @Test
    void misalignedGroupedDirectoriesAndForeignHeldOutShardsAreRefusedNamingTheDirectory() throws IOException {
        List<ShardRow> rows = TestShards.rows(12, FACTS);
        Path six = TestShards.write(dir.resolve("six"), rows.subList(0, 6), new int[] {6}, 4, FACTS);
        RuntimeException misaligned = assertThrows(
                RuntimeException.class,
                () -> RunFixture.run(stage2(dir.resolve("misaligned"), List.of(six, shards), Map.of()), "bad-1"));
        assertTrue(
                misaligned.getMessage().contains(six.resolve("_manifest.json") + ": holds 6 rows, not a multiple"),
                misaligned.getMessage());

        TestShards.Facts stage1 =
                new TestShards.Facts("plain", "pad", RunFixture.fingerprint(), "shuffle", 1, 1, "bytes", 2048);
        Path foreign = TestShards.write(dir.resolve("foreign"), TestShards.rows(3, stage1), new int[] {3}, 4, stage1);
        RuntimeException template = assertThrows(
                RuntimeException.class,
                () -> RunFixture.run(
                        stage2(
                                dir.resolve("foreign-run"),
                                List.of(shards),
                                Map.of("data.eval_shards", "[" + foreign + "]")),
                        "bad-2"));
        assertTrue(
                template.getMessage()
                        .contains(foreign.resolve("_manifest.json") + ": dataset sample was sharded with"
                                + " template plain"),
                template.getMessage());
    }
}
