package io.share4v.train.checkpoint;

import static io.share4v.train.checkpoint.TinyModel.BACKEND;
import static io.share4v.train.checkpoint.TinyModel.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointException;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.checkpoint.CheckpointStore.Stage;
import io.share4v.train.collective.BucketPlan;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointStoreTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    private java.nio.file.Path tokenizer;
    private java.nio.file.Path out;

    @BeforeEach
    void setUp() throws IOException {
        tokenizer = TinyModel.tokenizerDir(tmp);
        out = tmp.resolve("out");
    }

    @Test
    void roundTripOfModelOptimizerShardsAndStateOverAFileUri() throws Exception {
        CheckpointStore store = CheckpointStore.open(out.toUri(), CONF, "attempt-0", 3, tmp.resolve("scratch"));
        assertEquals(Optional.empty(), store.latest());
        Tensor weights = TinyModel.weights(11);
        Checkpoint saved = save(store, 7, weights, 4);

        Checkpoint latest = store.latest().orElseThrow();
        assertEquals(7, latest.step());
        assertEquals(saved.path(), latest.path());
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-000007/_COMMITTED")));
        assertEquals(state(7, 4), latest.readState());
        for (int r = 0; r < 4; r++) {
            Map<String, Tensor> back = zerosLike(moments(7, r, 4));
            assertEquals(7 * 10, latest.readOptimizerShard(plan(4), r, back, BACKEND));
            assertSameValues(moments(7, r, 4), back);
        }
        LlavaModel model = new LlavaModel(TinyModel.CONFIG, LlavaModel.Options.of(1, 8, 1, Trainable.none()), BACKEND);
        latest.loadModel(model, null);
        assertArrayEquals(Tensors.floats(weights), Tensors.floats(model.params()));
        // the checkpoint is self-contained: the trained tower is inside and config.json points there
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-000007/model/vision_tower/config.json")));
        assertTrue(Files.readString(out.resolve("checkpoints/step-000007/model/config.json"))
                .contains("\"mm_vision_tower\": \"vision_tower\""));
    }

    @Test
    void ranksWritingConcurrentlyIntoOneStepCommitOnce() throws Exception {
        CheckpointStore store = localStore("a", 2, s -> {});
        int world = 4;
        List<Thread> ranks = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            int rank = r;
            ranks.add(new Thread(() -> {
                try {
                    PendingCheckpoint p = store.begin(3);
                    if (rank == 0) {
                        p.writeModel(TinyModel.snapshot(TinyModel.weights(1), tokenizer, true));
                        p.writeState(state(3, world));
                    }
                    p.writeOptimizerShard(plan(world), rank, 30, moments(3, rank, world), BACKEND);
                } catch (Throwable t) {
                    synchronized (errors) {
                        errors.add(t);
                    }
                }
            }));
        }
        ranks.forEach(Thread::start);
        for (Thread t : ranks) {
            t.join();
        }
        assertEquals(List.of(), errors);
        store.begin(3).commit();
        assertEquals(3, store.latest().orElseThrow().step());
    }

    @Test
    void commitRefusesACheckpointWithAMissingOptimizerShard() throws Exception {
        CheckpointStore store = localStore("a", 2, s -> {});
        PendingCheckpoint p = store.begin(5);
        p.writeModel(TinyModel.snapshot(TinyModel.weights(1), tokenizer, true));
        p.writeOptimizerShard(plan(2), 0, 5, moments(5, 0, 2), BACKEND);
        p.writeState(state(5, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, p::commit);
        assertTrue(e.getMessage().contains("optimizer/rank-00001-of-00002.safetensors"), e.getMessage());
        assertEquals(Optional.empty(), store.latest());
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void aCrashAtAnyStageLeavesThePreviousCheckpointUsable(Stage crashAt) throws Exception {
        Tensor first = TinyModel.weights(1);
        Tensor second = TinyModel.weights(2);
        save(localStore("run1", 1, s -> {}), 1, first, 2);

        CheckpointStore crashing = localStore("run2", 1, s -> {
            if (s == crashAt) {
                throw new IOException("injected crash after " + s);
            }
        });
        IOException crash = assertThrows(IOException.class, () -> save(crashing, 2, second, 2));
        assertTrue(crash.getMessage().contains(crashAt.name()), crash.getMessage());

        CheckpointStore restarted = localStore("run3", 1, s -> {});
        boolean committed = crashAt == Stage.MARKED; // only pruning was left to do
        Checkpoint latest = restarted.latest().orElseThrow();
        assertEquals(committed ? 2 : 1, latest.step());
        Tensor loaded = LAYOUT.allocate(BACKEND, DType.FLOAT);
        latest.loadModel(LAYOUT, BACKEND, loaded, null);
        assertArrayEquals(Tensors.floats(committed ? second : first), Tensors.floats(loaded));
        assertEquals(state(latest.step(), 2), latest.readState());

        List<String> removed =
                restarted.removeStale().stream().map(Path::getName).collect(Collectors.toList());
        List<String> expected = switch (crashAt) {
            case MODEL_WRITTEN, OPTIMIZER_SHARD_WRITTEN, STATE_WRITTEN -> List.of("step-000002.tmp-run2");
            case RENAMED -> List.of("step-000002");
            case MARKED -> List.of("step-000001"); // keep-last-1, which the crash did not get to
        };
        assertEquals(expected, removed);
        if (!committed) {
            save(restarted, 2, second, 2);
        }
        assertEquals(List.of("step-000002"), checkpointDirs());
    }

    @Test
    void keepsTheLastKCommittedCheckpoints() throws Exception {
        CheckpointStore store = localStore("a", 2, s -> {});
        for (long step = 10; step <= 40; step += 10) {
            save(store, step, TinyModel.weights(step), 1);
        }
        assertEquals(
                List.of(30L, 40L),
                store.committed().stream().map(Checkpoint::step).collect(Collectors.toList()));
        assertEquals(List.of("step-000030", "step-000040"), checkpointDirs());
    }

    @Test
    void latestIgnoresTemporaryAndUnmarkedDirectoriesAndStartUpRemovesThem() throws Exception {
        CheckpointStore store = localStore("a", 5, s -> {});
        save(store, 4, TinyModel.weights(4), 1);
        java.nio.file.Path ck = out.resolve("checkpoints");
        Files.createDirectories(ck.resolve("step-000009")); // renamed, crashed before its marker
        Files.createDirectories(ck.resolve("step-000010.tmp-old")); // a crashed attempt, marker and all
        Files.createFile(ck.resolve("step-000010.tmp-old/_COMMITTED"));
        Files.createDirectories(ck.resolve("notes"));
        Files.createDirectories(out.resolve("final.tmp-old/model"));
        Files.writeString(out.resolve("metrics.jsonl"), "{}\n");

        assertEquals(4, store.latest().orElseThrow().step());
        List<String> removed =
                store.removeStale().stream().map(Path::getName).sorted().collect(Collectors.toList());
        assertEquals(List.of("final.tmp-old", "step-000009", "step-000010.tmp-old"), removed);
        assertEquals(List.of("notes", "step-000004"), checkpointDirs());
        assertTrue(Files.exists(out.resolve("metrics.jsonl")));
        assertEquals(4, store.latest().orElseThrow().step());
    }

    @Test
    void finalDirectoryLoadsWithTheModelLoaderIntoAnEqualBuffer() throws Exception {
        CheckpointStore store = localStore("a", 1, s -> {});
        Tensor weights = TinyModel.weights(21);
        save(store, 8, weights, 1);
        save(store, 9, TinyModel.weights(22), 1); // prunes step 8 ...
        assertThrows(IllegalStateException.class, () -> store.publishFinal(8));
        Path fin = store.publishFinal(9);
        save(store, 10, weights, 1); // ... and this prunes step 9: final/ must not depend on it

        java.nio.file.Path dir = out.resolve("final");
        assertEquals(dir.toString(), fin.toUri().getPath());
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.model")));
        // what bin/share4v forward reads first: the config, its tower found without --vision-tower
        LlavaConfig read = HfConfigReader.readLlava(dir, null);
        assertEquals(ModelSnapshot.TOWER_DIR, read.visionTower());
        assertEquals(TinyModel.CONFIG.vision(), read.vision());
        assertEquals(TinyModel.CONFIG.llm(), read.llm());
        Tensor loaded = LAYOUT.allocate(BACKEND, DType.FLOAT);
        CheckpointLoader.load(dir, null, LAYOUT, BACKEND, loaded);
        assertArrayEquals(Tensors.floats(TinyModel.weights(22)), Tensors.floats(loaded));

        store.publishFinal(10); // replaces the previous final/
        CheckpointLoader.load(dir, null, LAYOUT, BACKEND, loaded);
        assertArrayEquals(Tensors.floats(weights), Tensors.floats(loaded));
        try (Stream<java.nio.file.Path> s = Files.list(out)) {
            assertEquals(
                    List.of("checkpoints", "final"),
                    s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void aFrozenTowerStaysWhereTheConfigPoints() throws Exception {
        CheckpointStore store = localStore("a", 1, s -> {});
        PendingCheckpoint p = store.begin(1);
        p.writeModel(TinyModel.snapshot(TinyModel.weights(1), tokenizer, false));
        java.nio.file.Path model = out.resolve("checkpoints/step-000001.tmp-a/model");
        assertFalse(Files.exists(model.resolve("vision_tower")));
        assertTrue(Files.readString(model.resolve("config.json"))
                .contains("\"mm_vision_tower\": \"" + TinyModel.CONFIG.visionTower() + "\""));
    }

    @Test
    void aNonLocalFileSystemIsWrittenAndReadThroughLocalStaging() throws Exception {
        RawLocalFileSystem raw = new RawLocalFileSystem();
        raw.initialize(URI.create("file:///"), CONF);
        FileSystem remote = new FilterFileSystem(raw); // not recognisably local: the store must stage
        java.nio.file.Path scratch = tmp.resolve("scratch");
        CheckpointStore store = new CheckpointStore(remote, new Path(out.toUri()), CONF, "r", 2, scratch, s -> {});
        Tensor weights = TinyModel.weights(5);
        Checkpoint c = save(store, 2, weights, 2);

        Tensor loaded = LAYOUT.allocate(BACKEND, DType.FLOAT);
        c.loadModel(LAYOUT, BACKEND, loaded, null);
        assertArrayEquals(Tensors.floats(weights), Tensors.floats(loaded));
        Map<String, Tensor> back = zerosLike(moments(2, 1, 2));
        assertEquals(20, c.readOptimizerShard(plan(2), 1, back, BACKEND));
        assertSameValues(moments(2, 1, 2), back);
        store.publishFinal(2);
        CheckpointLoader.load(out.resolve("final"), null, LAYOUT, BACKEND, loaded);
        assertArrayEquals(Tensors.floats(weights), Tensors.floats(loaded));

        assertTrue(Files.isDirectory(scratch), "staging was used");
        try (Stream<java.nio.file.Path> s = Files.list(scratch)) {
            assertEquals(0, s.count(), "staging directories are deleted");
        }
    }

    @Test
    void anHdfsOutputDirectoryCommitsResumesAndPublishesFinal() throws Exception {
        Configuration conf = new Configuration();
        conf.set(
                org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
                tmp.resolve("dfs").toString());
        org.apache.hadoop.hdfs.MiniDFSCluster dfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(conf)
                .numDataNodes(1)
                .build();
        try {
            URI root = URI.create(dfs.getURI() + "/runs/tiny");
            CheckpointStore store = CheckpointStore.open(root, conf, "attempt-0", 1, tmp.resolve("scratch"));
            Tensor first = TinyModel.weights(3);
            save(store, 1, first, 2);
            Tensor second = TinyModel.weights(4);
            save(store, 2, second, 2); // keep-last 1: step 1 is pruned

            Checkpoint latest = store.latest().orElseThrow();
            assertEquals(2, latest.step());
            assertEquals(
                    List.of(2L),
                    store.committed().stream().map(Checkpoint::step).toList());
            Tensor loaded = LAYOUT.allocate(BACKEND, DType.FLOAT);
            latest.loadModel(LAYOUT, BACKEND, loaded, null);
            assertArrayEquals(Tensors.floats(second), Tensors.floats(loaded));
            Map<String, Tensor> back = zerosLike(moments(2, 1, 2));
            assertEquals(20, latest.readOptimizerShard(plan(2), 1, back, BACKEND));
            assertSameValues(moments(2, 1, 2), back);

            store.publishFinal(2);
            FileSystem fs = dfs.getFileSystem();
            assertTrue(fs.exists(new Path("/runs/tiny/final/config.json")));
            java.nio.file.Path local = tmp.resolve("final-copy");
            fs.copyToLocalFile(false, new Path("/runs/tiny/final"), new Path(local.toUri()), true);
            Tensor fromFinal = LAYOUT.allocate(BACKEND, DType.FLOAT);
            CheckpointLoader.load(local, null, LAYOUT, BACKEND, fromFinal);
            assertArrayEquals(Tensors.floats(second), Tensors.floats(fromFinal));
        } finally {
            dfs.shutdown();
        }
    }

    @Test
    void readingAShardIntoTensorsOfAnotherLengthTypeOrNameFailsNamingTheTensor() throws Exception {
        CheckpointStore store = localStore("a", 1, s -> {});
        Checkpoint c = save(store, 1, TinyModel.weights(1), 1);
        long n = plan(1).shardSize(0);
        Map<String, Tensor> wrongLength = zerosLike(moments(1, 0, 1));
        wrongLength.put("exp_avg", BACKEND.allocate(DType.FLOAT, n - 1));
        IllegalArgumentException e1 = assertThrows(
                IllegalArgumentException.class, () -> c.readOptimizerShard(plan(1), 0, wrongLength, BACKEND));
        assertTrue(e1.getMessage().contains("optimizer tensor exp_avg length"), e1.getMessage());
        Map<String, Tensor> wrongType = zerosLike(moments(1, 0, 1));
        wrongType.put("master", BACKEND.allocate(DType.FLOAT, n));
        CheckpointException e2 =
                assertThrows(CheckpointException.class, () -> c.readOptimizerShard(plan(1), 0, wrongType, BACKEND));
        assertTrue(
                e2.getMessage().contains("tensor master is F64[" + n + "] but its ranges need F32[" + n + "]"),
                e2.getMessage());
        Map<String, Tensor> missing = zerosLike(moments(1, 0, 1));
        missing.remove("master");
        CheckpointException e3 =
                assertThrows(CheckpointException.class, () -> c.readOptimizerShard(plan(1), 0, missing, BACKEND));
        assertTrue(e3.getMessage().contains("[exp_avg, exp_avg_sq, master]"), e3.getMessage());
        assertTrue(e3.getMessage().contains("rank-00000-of-00001"), e3.getMessage());
    }

    private CheckpointStore localStore(String nonce, int keepLast, CheckpointStore.Faults faults) throws IOException {
        return new CheckpointStore(
                FileSystem.getLocal(CONF),
                new Path(out.toUri()),
                CONF,
                nonce,
                keepLast,
                tmp.resolve("scratch"),
                faults);
    }

    /** What the trainer does at a checkpoint, all ranks in turn (the optimizer step count is 10 * step). */
    private Checkpoint save(CheckpointStore store, long step, Tensor weights, int world) throws IOException {
        PendingCheckpoint p = store.begin(step);
        p.writeModel(TinyModel.snapshot(weights, tokenizer, true));
        for (int r = 0; r < world; r++) {
            p.writeOptimizerShard(plan(world), r, step * 10, moments(step, r, world), BACKEND);
        }
        p.writeState(state(step, world));
        return p.commit();
    }

    private static TrainerState state(long step, int world) {
        return new TrainerState(
                step,
                step * 16,
                Map.of("init", 42L, "data", -7L),
                "lr: 2.0e-5\nglobal_batch: 16\n",
                "abc123",
                world,
                1.5 * step);
    }

    /** The optimizer shards' bucket plan: 400 elements, frozen gaps, buckets of 96. */
    static BucketPlan plan(int world) {
        return BucketPlan.of(400, List.of(new Range(8, 180), new Range(240, 400)), world, 96);
    }

    /** Rank {@code r}'s optimizer tensors at {@code step} (of {@code world}): two FLOAT moments and a DOUBLE tensor. */
    private static Map<String, Tensor> moments(long step, int r, int world) {
        long seed = step * 1000 + r;
        long n = plan(world).shardSize(r);
        Map<String, Tensor> m = new TreeMap<>();
        m.put("exp_avg", Tensors.gaussian(BACKEND, DType.FLOAT, seed, 1.0, n));
        m.put("exp_avg_sq", Tensors.uniform(BACKEND, DType.FLOAT, seed + 1, 1.0, n));
        m.put("master", Tensors.gaussian(BACKEND, DType.DOUBLE, seed + 2, 1.0, n));
        return m;
    }

    private static Map<String, Tensor> zerosLike(Map<String, Tensor> m) {
        Map<String, Tensor> z = new TreeMap<>();
        m.forEach((k, v) -> z.put(k, Tensors.zerosLike(BACKEND, v)));
        return z;
    }

    private static void assertSameValues(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(Tensors.doubles(v), Tensors.doubles(got.get(k)), k));
    }

    private List<String> checkpointDirs() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(out.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
