package io.share4v.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.train.collective.JobToken;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.metrics.ProgressClient;
import io.share4v.train.metrics.ProgressServer;
import io.share4v.train.metrics.RunProgress;
import io.share4v.train.metrics.RunReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs of the tiny model on 2 ranks over loopback: stage 2 (12 rows, global 8 = 2 workers x micro 2 x
 * accumulation 2, 3 epochs = 6 steps, checkpoints every 2), resumed and recovered runs against it, and stage 1.
 */
class TrainingRunTest {
    private static final long STEPS = 6;

    @TempDir
    static Path dir;

    private static Path model;
    private static Path shards;
    private static Path reference;
    private static List<RunFixture.Outcome> uninterrupted;

    @BeforeAll
    static void uninterruptedStage2Run() throws IOException {
        model = RunFixture.tinyModel(dir.resolve("model"));
        shards = RunFixture.shards(dir.resolve("shards-v1"), 12, true);
        reference = dir.resolve("reference");
        uninterrupted = RunFixture.run(stage2(reference, Map.of()), "ref");
    }

    private static TrainConfig stage2(Path output, Map<String, String> sets) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(Map.of("optimizer.num_train_epochs", "3"));
        all.putAll(sets);
        return RunFixture.config("finetune", model, model.resolve("vision_tower"), null, shards, output, all);
    }

    @Test
    void aStage2RunTrainsLogsAndPublishesTheFinalModel() throws IOException {
        for (RunFixture.Outcome o : uninterrupted) {
            TrainingRun.Result r = o.result();
            assertEquals(0, r.firstStep());
            assertEquals(STEPS, r.lastStep());
            assertEquals(STEPS, r.totalSteps());
            assertTrue(r.finished());
            assertEquals(reference.resolve("final"), Path.of(java.net.URI.create(r.finalModel())));
        }
        assertArrayEquals(uninterrupted.get(0).params(), uninterrupted.get(1).params(), "ranks hold equal params");

        List<ObjectNode> metrics = RunFixture.metrics(reference);
        assertEquals(STEPS, metrics.size(), "one metrics line per step");
        for (int s = 0; s < STEPS; s++) {
            assertEquals(s, metrics.get(s).get("step").asLong());
        }
        // step 0 runs at lr 0 (warmup); each epoch reads the same rows, so epoch 3 must fit them better than epoch 1
        double firstEpoch = loss(metrics, 0) + loss(metrics, 1);
        double lastEpoch = loss(metrics, 4) + loss(metrics, 5);
        assertTrue(lastEpoch < firstEpoch, "loss did not decrease: epoch 1 " + firstEpoch + ", epoch 3 " + lastEpoch);
        assertEquals(uninterrupted.get(0).result().lastLoss(), loss(metrics, 5), 0.0);

        assertTrue(Files.size(reference.resolve(RunProgress.CURVES)) > 0, "curves.png");
        assertEquals(List.of("step-000004", "step-000006"), children(reference.resolve("checkpoints")));
        float[] published = RunFixture.load(reference.resolve("final"), stage2(reference, Map.of()));
        assertArrayEquals(uninterrupted.get(0).params(), published, "final/ holds rank 0's parameters");
        assertFalse(java.util.Arrays.equals(RunFixture.tinyModelParams(), published), "the model trained");
    }

    @Test
    void aRunStoppedAfterStepKAndResumedEqualsTheUninterruptedRunBitwise() throws IOException {
        Path out = dir.resolve("stopped");
        List<RunFixture.Outcome> stopped = RunFixture.run(stage2(out, Map.of("run.stop_after", "3")), "first");
        TrainingRun.Result r = stopped.get(0).result();
        assertEquals(3, r.lastStep());
        assertFalse(r.finished());
        assertNull(r.finalModel());
        assertFalse(Files.exists(out.resolve("final")));
        assertEquals(List.of("step-000002", "step-000003"), children(out.resolve("checkpoints")));

        List<RunFixture.Outcome> resumed = RunFixture.run(stage2(out, Map.of()), "second");
        assertEquals(3, resumed.get(0).result().firstStep());
        assertTrue(resumed.get(0).result().finished());
        for (RunFixture.Outcome o : resumed) {
            assertArrayEquals(uninterrupted.get(0).params(), o.params(), "bitwise equal to the uninterrupted run");
        }
        assertEquals(STEPS, RunFixture.metrics(out).size(), "each step logged once");
    }

    /** Both attempts report over sockets to one driver-side progress, as a Spark stage retry does. */
    @Test
    void aRankFailingAtAStepFailsEveryRankAndTheRetryRecoversTheSameResultAndItsMetrics() throws IOException {
        Path out = dir.resolve("faulty");
        List<String> console = java.util.Collections.synchronizedList(new ArrayList<>());
        byte[] token = JobToken.random();
        System.setProperty(FaultInjection.PROPERTY, "1@3");
        try (RunProgress progress =
                RunProgress.open(out.toUri(), new Configuration(), "faulty", Duration.ZERO, console::add)) {
            ProgressServer server = ProgressServer.start("127.0.0.1", "127.0.0.1", token, progress);
            try (server) {
                long t0 = System.nanoTime();
                RuntimeException e = assertThrows(
                        RuntimeException.class,
                        () -> RunFixture.run(
                                stage2(out, Map.of()), "attempt-1", viaSocket(server, token, "attempt-1")));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < RunFixture.settings().ioTimeout().toSeconds(), "failed after " + seconds + " s");
                List<String> messages = new ArrayList<>(List.of(e.getMessage()));
                Stream.of(e.getSuppressed()).forEach(s -> messages.add(s.getMessage()));
                assertEquals(2, messages.size(), "every rank fails: " + messages);
                assertTrue(messages.get(0).contains("optimizer step 3 failed on rank 0"), messages.get(0));
                assertTrue(
                        messages.get(1).contains("optimizer step 3 failed on rank 1 of 2: injected fault"),
                        messages.get(1));

                List<RunFixture.Outcome> recovered =
                        RunFixture.run(stage2(out, Map.of()), "attempt-2", viaSocket(server, token, "attempt-2"));
                assertEquals(2, recovered.get(0).result().firstStep(), "resumed from the checkpoint after step 2");
                assertTrue(recovered.get(1).result().finished());
                for (RunFixture.Outcome o : recovered) {
                    assertArrayEquals(uninterrupted.get(0).params(), o.params(), "the uninterrupted result");
                }
            }
            assertEquals(List.of(), progress.missingSteps(0, STEPS));
            assertEquals(0, server.refusedConnections());
        } finally {
            System.clearProperty(FaultInjection.PROPERTY);
        }
        List<ObjectNode> metrics = RunFixture.metrics(out);
        assertEquals(
                List.of(0L, 1L, 2L, 2L, 3L, 4L, 5L),
                metrics.stream().map(m -> m.get("step").asLong()).toList(),
                "attempt 2 repeats step 2 (the file keeps both lines)");
        List<ObjectNode> reference = RunFixture.metrics(TrainingRunTest.reference);
        for (int s = 0; s < STEPS; s++) {
            ObjectNode last = metrics.get(s < 2 ? s : s + 1);
            assertEquals(2, last.get("ranks").asInt(), "both ranks' times in step " + s);
            assertEquals(loss(reference, s), last.get("loss").asDouble(), 0.0, "the loss of step " + s);
        }
        assertTrue(
                console.stream().anyMatch(l -> l.startsWith("resumed after step 2: training steps 2..6 of 6")),
                console.toString());
        assertTrue(console.contains("checkpoint after step 6 committed"), console.toString());
        assertTrue(Files.size(out.resolve(RunProgress.CURVES)) > 0);
    }

    private static IntFunction<RunReporter> viaSocket(ProgressServer server, byte[] token, String attempt) {
        return rank -> ProgressClient.connect(
                "127.0.0.1", server.port(), token, attempt, rank, RunFixture.WORLD, Duration.ofSeconds(10));
    }

    @Test
    void anHdfsOutputDirectoryHoldsCheckpointsMetricsCurvesAndFinalAndResumesBitwise() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            Path out = Path.of("unused"); // the config takes the URI as its output directory
            String uri = dfs.getURI() + "/runs/tiny";
            RunFixture.run(stage2(out, Map.of("run.output_dir", uri, "run.stop_after", "3")), "hdfs-1");
            List<RunFixture.Outcome> resumed = RunFixture.run(stage2(out, Map.of("run.output_dir", uri)), "hdfs-2");
            assertEquals(3, resumed.get(0).result().firstStep());
            assertEquals(uri + "/final", resumed.get(0).result().finalModel());
            assertArrayEquals(uninterrupted.get(0).params(), resumed.get(1).params(), "bitwise, as on a local disk");
            FileSystem fs = dfs.getFileSystem();
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/runs/tiny/final/config.json")));
            assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path("/runs/tiny/curves.png"))
                            .getLen()
                    > 0);
            java.nio.file.Path local = dir.resolve("hdfs-copy");
            fs.copyToLocalFile(
                    false,
                    new org.apache.hadoop.fs.Path("/runs/tiny/metrics.jsonl"),
                    new org.apache.hadoop.fs.Path(
                            local.resolve(RunProgress.METRICS).toUri()),
                    true);
            assertEquals(STEPS, RunFixture.metrics(local).size());
        } finally {
            dfs.shutdown();
        }
    }

    @Test
    void aResumeWithAnotherConfigIsRefusedNamingTheDifference() throws IOException {
        TrainConfig changed = stage2(reference, Map.of("optimizer.lr", "2.0e-3"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> RunFixture.run(changed, "other"));
        assertTrue(
                e.getMessage().contains("training failed on rank 0 of 2 at step 0: cannot resume from step 6"),
                e.getMessage());
        assertTrue(e.getMessage().contains("this run \"optimizer.lr: 0.002\""), e.getMessage());
    }

    private static double loss(List<ObjectNode> metrics, int step) {
        return metrics.get(step).get("loss").asDouble();
    }

    private static List<String> children(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
