package io.share4v.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's merge of the ranks' reports into metrics.jsonl, the progress lines and the curves. */
class RunProgressTest {
    @TempDir
    Path out;

    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    private RunProgress open(Duration logEvery) throws IOException {
        return RunProgress.open(out.toUri(), new Configuration(), "test run", logEvery, console::add);
    }

    /** Rank {@code rank}'s report of {@code step}: times (step, stall, comm, compute); rank 0 adds loss 3 - step. */
    static ProgressEvent.Step step(long step, int rank, double stepS, double stall, double comm, double compute) {
        ProgressEvent.Global global = rank == 0 ? new ProgressEvent.Global(3.0 - step, 1e-5, 0.5, false, 100, 8) : null;
        return new ProgressEvent.Step(step, new ProgressEvent.RankTimes(stepS, stall, comm, 0, compute), global);
    }

    List<JsonNode> lines() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        Path f = out.resolve(RunProgress.METRICS);
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                rows.add(MetricsLog.JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void aStepIsWrittenOnceEveryRankReportedWithTheTimesAsMaxAndMean() throws IOException {
        try (RunProgress p = open(Duration.ZERO)) {
            List<RunReporter> r = List.of(p.reporter("a", 0, 3), p.reporter("a", 1, 3), p.reporter("a", 2, 3));
            r.get(0).report(new ProgressEvent.Started(0, 2, 2));
            r.get(0).report(step(0, 0, 2.0, 0.1, 0.5, 1.4));
            r.get(2).report(step(0, 2, 2.5, 0.7, 0.2, 1.6));
            assertEquals(0, lines().size(), "rank 1 has not reported step 0");
            r.get(1).report(step(0, 1, 2.2, 0.4, 0.2, 1.6));
            List<JsonNode> rows = lines();
            assertEquals(1, rows.size());
            JsonNode l = rows.get(0);
            List<String> keys = new ArrayList<>();
            l.fieldNames().forEachRemaining(keys::add);
            assertEquals(
                    List.of(
                            "step",
                            "loss",
                            "lr",
                            "grad_norm",
                            "clipped",
                            "tokens",
                            "samples",
                            "samples_per_s",
                            "tokens_per_s",
                            "step_s",
                            "data_stall_max_s",
                            "data_stall_mean_s",
                            "comm_max_s",
                            "comm_mean_s",
                            "comm_hidden_max_s",
                            "comm_hidden_mean_s",
                            "compute_max_s",
                            "compute_mean_s",
                            "ranks"),
                    keys);
            assertEquals(3.0, l.get("loss").asDouble());
            assertEquals(0.5, l.get("grad_norm").asDouble());
            assertEquals(100, l.get("tokens").asLong());
            assertEquals(2.5, l.get("step_s").asDouble(), "the slowest rank's step");
            assertEquals(8 / 2.5, l.get("samples_per_s").asDouble(), 1e-12);
            assertEquals(100 / 2.5, l.get("tokens_per_s").asDouble(), 1e-12);
            assertEquals(0.7, l.get("data_stall_max_s").asDouble(), 1e-12);
            assertEquals(0.4, l.get("data_stall_mean_s").asDouble(), 1e-12);
            assertEquals(0.5, l.get("comm_max_s").asDouble(), 1e-12);
            assertEquals(0.3, l.get("comm_mean_s").asDouble(), 1e-12);
            assertEquals(1.6, l.get("compute_max_s").asDouble(), 1e-12);
            assertEquals(4.6 / 3, l.get("compute_mean_s").asDouble(), 1e-12);
            assertEquals(3, l.get("ranks").asInt());
            for (int rank = 0; rank < 3; rank++) {
                r.get(rank).report(step(1, rank, 1, 0, 0, 1));
            }
            assertEquals(
                    List.of(0L, 1L),
                    lines().stream().map(n -> n.get("step").asLong()).toList());
            assertEquals(List.of(), p.missingSteps(0, 2));
        }
    }

    @Test
    void progressLinesCarryTheEtaAtTheChosenRate() throws IOException {
        try (RunProgress p = open(Duration.ZERO)) {
            RunReporter r = p.reporter("a", 0, 1);
            r.report(new ProgressEvent.Started(0, 4, 4));
            r.report(step(0, 0, 0.5, 0.2, 0.3, 0.1));
        }
        assertEquals("training steps 0..4 of 4 on 1 workers (attempt a)", console.get(0));
        String line = console.get(1);
        assertTrue(
                line.matches("step 1/4 \\(25\\.0 %\\), \\d+\\.\\d\\d s/step, ETA \\d+ s: loss 3\\.0000, lr 1\\.00e-05,"
                        + " 16\\.0 samples/s, data stall max 0\\.200 s, comm max 0\\.300 s"),
                line);

        console.clear();
        try (RunProgress p = open(Duration.ofHours(1))) {
            RunReporter r = p.reporter("b", 0, 1);
            r.report(new ProgressEvent.Started(1, 4, 4));
            for (int s = 1; s < 4; s++) {
                r.report(step(s, 0, 0.5, 0.2, 0.3, 0.1));
            }
        }
        assertEquals(3, console.size(), "start, the attempt's first step and its last: " + console);
        assertTrue(console.get(0).startsWith("resumed after step 1: training steps 1..4 of 4"), console.get(0));
        assertTrue(console.get(1).startsWith("step 2/4 (50.0 %)"), console.get(1));
        assertTrue(console.get(2).startsWith("step 4/4 (100.0 %)"), console.get(2));
    }

    @Test
    void curvesAreRenderedAtACommittedCheckpointOnceItsLastStepIsWritten() throws IOException {
        Path png = out.resolve(RunProgress.CURVES);
        try (RunProgress p = open(Duration.ZERO)) {
            RunReporter r0 = p.reporter("a", 0, 2);
            RunReporter r1 = p.reporter("a", 1, 2);
            r0.report(new ProgressEvent.Started(0, 4, 4));
            for (int s = 0; s < 2; s++) {
                r0.report(step(s, 0, 1, 0, 0, 1));
                r1.report(step(s, 1, 1, 0, 0, 1));
            }
            r0.report(step(2, 0, 1, 0, 0, 1));
            r0.report(new ProgressEvent.CheckpointCommitted(3));
            assertFalse(Files.exists(png), "rank 1's report of step 2 is still to come");
            r1.report(step(2, 1, 1, 0, 0, 1));
            assertTrue(Files.size(png) > 0, "rendered once step 2's line is written");
            Files.delete(png);
            r0.report(new ProgressEvent.CheckpointCommitted(3));
            assertTrue(Files.exists(png), "a checkpoint whose steps are all written renders at once");
            Files.delete(png);
            r0.report(step(3, 0, 1, 0, 0, 1));
            r1.report(step(3, 1, 1, 0, 0, 1));
        }
        assertTrue(Files.exists(png), "rendered at the end");
        assertTrue(console.contains("checkpoint after step 3 committed"), console.toString());
    }

    @Test
    void aRetriedAttemptRepeatsStepsWhoseLastLineCountsAndTheOldAttemptIsIgnored() throws IOException {
        try (RunProgress p = open(Duration.ZERO)) {
            RunReporter a0 = p.reporter("a1", 0, 2);
            RunReporter a1 = p.reporter("a1", 1, 2);
            a0.report(new ProgressEvent.Started(0, 5, 5));
            for (int s = 0; s < 3; s++) {
                a0.report(step(s, 0, 1, 0, 0, 1));
                a1.report(step(s, 1, 1, 0, 0, 1));
            }
            a0.report(step(3, 0, 1, 0, 0, 1)); // rank 1 dies in step 3
            RunReporter b0 = p.reporter("a2", 0, 2);
            RunReporter b1 = p.reporter("a2", 1, 2);
            a1.report(step(3, 1, 9, 9, 9, 9)); // a late report of the ended attempt
            b0.report(new ProgressEvent.Started(2, 5, 5));
            for (int s = 2; s < 5; s++) {
                b0.report(new ProgressEvent.Step(
                        s,
                        new ProgressEvent.RankTimes(1, 0, 0, 0, 1),
                        new ProgressEvent.Global(10.0 + s, 1e-5, 0.5, false, 100, 8)));
                b1.report(step(s, 1, 1, 0, 0, 1));
            }
            assertEquals(List.of(), p.missingSteps(0, 5));
        }
        List<JsonNode> rows = lines();
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 2L, 3L, 4L),
                rows.stream().map(n -> n.get("step").asLong()).toList());
        assertEquals(1, rows.get(3).get("ranks").asInt(), "attempt 1's step 3 had rank 0's times only");
        assertEquals(1.0, rows.get(3).get("step_s").asDouble(), "the late report did not count");
        assertTrue(console.stream().anyMatch(l -> l.startsWith("resumed after step 2:")), console.toString());
        try (RunFiles files =
                RunFiles.open(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(out.toUri()))) {
            var points = files.readPoints();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), new ArrayList<>(points.keySet()));
            assertEquals(12.0, points.get(2L).loss(), "the repeated step's last line counts");
            assertEquals(2.0, points.get(1L).loss(), "3 - step, from attempt 1");
        }
    }

    @Test
    void stepsWhoseRank0ReportsWereLostAreNamedAtTheEnd() throws IOException {
        try (RunProgress p = open(Duration.ZERO)) {
            RunReporter r0 = p.reporter("a", 0, 2);
            RunReporter r1 = p.reporter("a", 1, 2);
            for (int s = 0; s < 2; s++) {
                r0.report(step(s, 0, 1, 0, 0, 1));
                r1.report(step(s, 1, 1, 0, 0, 1));
            }
            r0.close(); // its connection to the driver broke; the rank trains on
            for (int s = 2; s < 4; s++) {
                r1.report(step(s, 1, 1, 0, 0, 1));
            }
            r1.close();
            assertEquals(List.of(2L, 3L), p.missingSteps(0, 4));
        }
        assertEquals(2, lines().size());
    }

    @Test
    void eventsAreLinesOfTheirOwnAndANewRunContinuesTheFile() throws IOException {
        try (RunProgress p = open(Duration.ZERO)) {
            RunReporter r = p.reporter("a", 0, 1);
            r.report(new ProgressEvent.Started(0, 2, 4));
            r.report(step(0, 0, 1, 0, 0, 1));
            r.report(step(1, 0, 1, 0, 0, 1));
            r.report(new ProgressEvent.RunEvent("eval", 2, Map.of("eval_loss", 1.5, "eval_samples", 40L)));
        }
        assertEquals(
                "{\"event\":\"eval\",\"step\":2,\"eval_loss\":1.5,\"eval_samples\":40}",
                Files.readAllLines(out.resolve(RunProgress.METRICS)).get(2));
        assertTrue(console.contains("step 2 eval: eval_loss 1.5000, eval_samples 40"), console.toString());
        org.apache.hadoop.fs.FileSystem local = org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
        try (RunFiles files = RunFiles.open(local, local.makeQualified(new org.apache.hadoop.fs.Path(out.toUri())))) {
            assertEquals(
                    List.of(new TrainingCurves.EvalPoint(2, 1.5)),
                    List.copyOf(files.readEvalPoints().values()),
                    "the validation point is read back for the curves of a resumed run");
        }
        try (RunProgress p = open(Duration.ZERO)) {
            RunReporter r = p.reporter("b", 0, 1);
            r.report(new ProgressEvent.Started(2, 4, 4));
            r.report(step(2, 0, 1, 0, 0, 1));
            r.report(step(3, 0, 1, 0, 0, 1));
            assertEquals(List.of(0L, 1L), p.missingSteps(0, 4), "this process wrote steps 2 and 3 only");
        }
        assertEquals(
                List.of(0L, 1L, 2L, 2L, 3L),
                lines().stream().map(n -> n.get("step").asLong()).toList());
    }
}
