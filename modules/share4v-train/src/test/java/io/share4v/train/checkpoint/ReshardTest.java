package io.share4v.train.checkpoint;

import static io.share4v.train.checkpoint.TinyModel.BACKEND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.io.CheckpointException;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.collective.BucketPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Re-sharding the optimizer state on a resume at another world size: each new rank's moments are exactly the saved
 * moments of the elements its new shard holds, and a saved file that is missing, from another step, of another
 * layout or in another rank's place is refused naming it.
 */
class ReshardTest {
    private static final int SAVED_WORLD = 2;
    private static final long OPTIMIZER_STEP = 17;
    /** Each moment's value is a function of its buffer element, so a misplaced copy shows. */
    private static final Map<String, LongToDoubleFunction> VALUES = Map.of(
            "exp_avg", e -> e,
            "exp_avg_sq", e -> -e - 0.5,
            "master", e -> e + 0.25);

    @TempDir
    Path tmp;

    private CheckpointStore store;
    private Path optimizerDir;

    /** 1000 elements, frozen gaps at both ends and in the middle, buckets of 112: several buckets, unaligned ends. */
    private static BucketPlan plan(int world) {
        return BucketPlan.of(1000, List.of(new Range(10, 403), new Range(600, 990)), world, 112);
    }

    @BeforeEach
    void savedByTwoRanks() throws IOException {
        store = new CheckpointStore(
                FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(tmp.resolve("out").toUri()),
                new Configuration(),
                "a",
                1,
                tmp.resolve("scratch"),
                s -> {});
        PendingCheckpoint p = store.begin(5);
        p.writeModel(TinyModel.snapshot(TinyModel.weights(1), TinyModel.tokenizerDir(tmp), true));
        for (int r = 0; r < SAVED_WORLD; r++) {
            p.writeOptimizerShard(
                    plan(SAVED_WORLD),
                    r,
                    OPTIMIZER_STEP,
                    moments(plan(SAVED_WORLD).shard(r)),
                    BACKEND);
        }
        p.writeState(new TrainerState(5, 40, Map.of("run", 42L), "key\n", "abc", SAVED_WORLD, 1.0));
        p.commit();
        optimizerDir = tmp.resolve("out/checkpoints/step-000005/optimizer");
    }

    @ParameterizedTest(name = "W=2 -> W={0}")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void eachNewRankGetsTheSavedMomentsOfItsElementsBitForBit(int world) throws IOException {
        BucketPlan plan = plan(world);
        Checkpoint c = store.latest().orElseThrow();
        long covered = 0;
        for (int r = 0; r < world; r++) {
            Map<String, Tensor> into = zeros(plan.shardSize(r));
            assertEquals(OPTIMIZER_STEP, c.readOptimizerShard(plan, r, into, BACKEND));
            Map<String, Tensor> want = moments(plan.shard(r));
            for (String name : want.keySet()) {
                assertArrayEquals(
                        Tensors.doubles(want.get(name)), Tensors.doubles(into.get(name)), name + " of rank " + r);
            }
            covered += plan.shardSize(r);
        }
        assertEquals(783, covered, "the new shards hold every trainable element once");
    }

    @Test
    void theCopiesJoinRunsContiguousInBothShardsAndNameAnUncoveredElement() {
        List<Range> target = List.of(new Range(0, 10), new Range(20, 30));
        List<List<Range>> saved = List.of(
                List.of(new Range(0, 5)), List.of(new Range(5, 10), new Range(20, 25)), List.of(new Range(25, 30)));
        assertEquals(
                List.of(
                        new ShardSlices.Copy(0, 0, 0, 5),
                        new ShardSlices.Copy(1, 0, 5, 10),
                        new ShardSlices.Copy(2, 0, 15, 5)),
                ShardSlices.plan(target, saved));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ShardSlices.plan(List.of(new Range(0, 12)), saved));
        assertTrue(e.getMessage().contains("element 10 "), e.getMessage());
    }

    @Test
    void aMissingSavedShardIsAnErrorNamingIt() throws IOException {
        Files.delete(optimizerDir.resolve("rank-00001-of-00002.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> read(plan(4), 0));
        assertTrue(e.getMessage().contains("has no optimizer shard rank-00001-of-00002.safetensors"), e.getMessage());
    }

    @Test
    void shardsOfDifferentOptimizerStepsAreAnErrorNamingThem() throws IOException {
        write("rank-00001-of-00002.safetensors", plan(SAVED_WORLD), 1, OPTIMIZER_STEP + 1);
        CheckpointException e = assertThrows(CheckpointException.class, () -> read(plan(1), 0));
        assertTrue(
                e.getMessage().contains("rank-00001-of-00002.safetensors records optimizer step 18"), e.getMessage());
        assertTrue(e.getMessage().contains("rank-00000-of-00002.safetensors records 17"), e.getMessage());
    }

    @Test
    void aShardOfAnotherBucketPlanOrInAnotherRanksPlaceIsAnErrorNamingIt() throws IOException {
        BucketPlan otherBuckets = BucketPlan.of(1000, List.of(new Range(10, 403), new Range(600, 990)), 3, 64);
        CheckpointException e1 = assertThrows(CheckpointException.class, () -> read(otherBuckets, 0));
        assertTrue(e1.getMessage().contains("rank-00000-of-00002.safetensors does not hold"), e1.getMessage());
        assertTrue(e1.getMessage().contains("buckets of 112 elements, this run cuts 64"), e1.getMessage());

        BucketPlan otherScope = BucketPlan.of(1000, List.of(new Range(10, 403), new Range(608, 990)), 3, 112);
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> read(otherScope, 0));
        assertTrue(e2.getMessage().contains("another trainable scope"), e2.getMessage());

        Path zero = optimizerDir.resolve("rank-00000-of-00002.safetensors");
        Path one = optimizerDir.resolve("rank-00001-of-00002.safetensors");
        Files.move(zero, tmp.resolve("swap"));
        Files.move(one, zero);
        Files.move(tmp.resolve("swap"), one);
        CheckpointException e3 = assertThrows(CheckpointException.class, () -> read(plan(1), 0));
        assertTrue(
                e3.getMessage()
                        .contains("rank-00000-of-00002.safetensors does not hold what this run computes for"
                                + " rank 0 of 2: it was written by rank 1 of 2"),
                e3.getMessage());
    }

    @Test
    void aShardWithoutItsLayoutIsRefusedNamingTheVersion() throws IOException {
        Path file = optimizerDir.resolve("rank-00000-of-00002.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            OptimizerShardFile.write(
                    out,
                    moments(plan(SAVED_WORLD).shard(0)),
                    Map.of("optimizer_step", "17", "rank", "0", "world_size", "2"),
                    BACKEND);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> read(plan(2), 0));
        assertTrue(e.getMessage().contains(file + " has metadata format_version = null"), e.getMessage());
    }

    private long read(BucketPlan plan, int rank) throws IOException {
        return store.latest().orElseThrow().readOptimizerShard(plan, rank, zeros(plan.shardSize(rank)), BACKEND);
    }

    /** Overwrites a committed shard file with rank {@code rank}'s shard of {@code plan} at another step count. */
    private void write(String name, BucketPlan plan, int rank, long step) throws IOException {
        try (OutputStream out = Files.newOutputStream(optimizerDir.resolve(name))) {
            OptimizerShardFile.write(
                    out, moments(plan.shard(rank)), ShardLayout.of(plan, rank).metadata(step), BACKEND);
        }
    }

    /** The tensors of a shard over {@code ranges}, compact, each element's value a function of its index. */
    private static Map<String, Tensor> moments(List<Range> ranges) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, LongToDoubleFunction> v : VALUES.entrySet()) {
            long n = ranges.stream().mapToLong(Range::size).sum();
            Tensor t = BACKEND.allocate(v.getKey().equals("master") ? DType.DOUBLE : DType.FLOAT, n);
            long i = 0;
            for (Range r : ranges) {
                for (long e = r.start(); e < r.end(); e++) {
                    Tensors.set(t, i++, v.getValue().applyAsDouble(e));
                }
            }
            m.put(v.getKey(), t);
        }
        return m;
    }

    private static Map<String, Tensor> zeros(long n) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("exp_avg", BACKEND.allocate(DType.FLOAT, n));
        m.put("exp_avg_sq", BACKEND.allocate(DType.FLOAT, n));
        m.put("master", BACKEND.allocate(DType.DOUBLE, n));
        return m;
    }
}
