package io.share4v.train.collective;

import static io.share4v.train.collective.RingBuffers.gappy;
import static io.share4v.train.collective.RingBuffers.settings;
import static io.share4v.train.collective.RingBuffers.tensor;
import static io.share4v.train.collective.RingBuffers.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketPlanTest {
    @Test
    void bucketsAreCutFromTheTopDownAtAlignedOffsets() {
        // trainable [0, 100), [300, 333), [500, 1000): 633 elements in buckets of 200
        List<Range> trainable = List.of(new Range(0, 100), new Range(300, 333), new Range(500, 1000));
        BucketPlan plan = BucketPlan.of(1000, trainable, 2, 200);
        assertEquals(4, plan.buckets().size(), plan.toString());
        // 1000 - 200 = 800 (aligned); 800 - 200 = 600, aligned down to 592; then [500, 592) = 92, [300, 333) = 33
        // and the last 75 of [0, 100) from 25, aligned down to 16; what is left
        assertEquals(List.of(new Range(800, 1000)), plan.buckets().get(0).trainable());
        assertEquals(List.of(new Range(592, 800)), plan.buckets().get(1).trainable());
        assertEquals(
                List.of(new Range(16, 100), new Range(300, 333), new Range(500, 592)),
                plan.buckets().get(2).trainable());
        assertEquals(List.of(new Range(0, 16)), plan.buckets().get(3).trainable());
        assertEquals(800, plan.lowestElement(0));
        assertEquals(16, plan.lowestElement(2));
        // rank 0 owns the first floor(units / 2) 16-element units of each bucket: 6 of 13, 6 of 13, 7 of 14, 0 of 1
        assertEquals(
                List.of(new Range(16, 100), new Range(300, 328), new Range(592, 688), new Range(800, 896)),
                plan.shard(0));
        assertEquals(plan.shard(0).stream().mapToLong(Range::size).sum(), plan.shardSize(0));
        BucketPlan four = plan.withWorld(4);
        assertEquals(4, four.world());
        for (int b = 0; b < plan.buckets().size(); b++) {
            assertEquals(
                    plan.buckets().get(b).trainable(), four.buckets().get(b).trainable(), "same cuts, bucket " + b);
        }
        assertEquals(List.of(new Range(0, 100), new Range(300, 333), new Range(500, 1000)), plan.trainable());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyTrainableElementIsInOneBucketAndOneShardTheRanksPartsOfItsBucket(int world) {
        for (int size : new int[] {1, 5, 37, 1001, 4099}) {
            for (long bucket : new long[] {1, 16, 33, 100, 1 << 20}) {
                List<Range> trainable = gappy(size);
                BucketPlan plan = BucketPlan.of(size, trainable, world, bucket);
                int[] buckets = new int[size];
                int[] owners = new int[size];
                java.util.Arrays.fill(buckets, -1);
                java.util.Arrays.fill(owners, -1);
                long previousLowest = Long.MAX_VALUE;
                for (int b = 0; b < plan.buckets().size(); b++) {
                    Partition p = plan.buckets().get(b);
                    assertEquals(world, p.world());
                    assertTrue(plan.lowestElement(b) < previousLowest, "buckets go down the buffer");
                    previousLowest = plan.lowestElement(b);
                    boolean last = b == plan.buckets().size() - 1;
                    assertTrue(last || p.trainableSize() >= bucket, "full bucket " + b + ": " + p);
                    assertTrue(p.trainableSize() < bucket + Partition.DEFAULT_ALIGNMENT, "bucket " + b + ": " + p);
                    for (Range r : p.trainable()) {
                        for (long e = r.start(); e < r.end(); e++) {
                            assertEquals(-1, buckets[(int) e], "element " + e + " in two buckets");
                            buckets[(int) e] = b;
                        }
                    }
                }
                for (int r = 0; r < world; r++) {
                    for (Range range : plan.shard(r)) {
                        for (long e = range.start(); e < range.end(); e++) {
                            assertEquals(-1, owners[(int) e], "element " + e + " in two shards");
                            owners[(int) e] = r;
                            assertEquals(r, plan.buckets().get(buckets[(int) e]).owner(e), "element " + e);
                        }
                    }
                }
                for (int e = 0; e < size; e++) {
                    boolean trains = contains(trainable, e);
                    assertEquals(trains, buckets[e] >= 0, "element " + e + " bucketed iff trainable");
                    assertEquals(trains, owners[e] >= 0, "element " + e + " owned iff trainable");
                }
            }
        }
    }

    @Test
    void theCutsDoNotDependOnTheWorldSize() {
        List<Range> trainable = gappy(4099);
        List<List<Range>> one = cuts(BucketPlan.of(4099, trainable, 1, 300));
        for (int world = 2; world <= 5; world++) {
            assertEquals(one, cuts(BucketPlan.of(4099, trainable, world, 300)), "world " + world);
        }
    }

    @Test
    void badBucketSizesAreRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BucketPlan.of(10, List.of(new Range(0, 10)), 2, 0));
        assertTrue(e.getMessage().contains("buckets of 0 elements"), e.getMessage());
    }

    /**
     * Bucket by bucket, reduce-scatter then all-gather sums integer-valued floats exactly: each rank's shard (its
     * parts of every bucket) holds the sums after the reduce-scatters, every trainable element after the
     * all-gathers; frozen elements are untouched.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void bucketByBucketSumsAreExact(int world) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            for (int size : new int[] {37, 1001}) {
                BucketPlan plan = BucketPlan.of(size, gappy(size), world, 97);
                float[][] inputs = new float[world][size];
                for (int r = 0; r < world; r++) {
                    for (int e = 0; e < size; e++) {
                        inputs[r][e] = ((e * 7 + r * 13) % 101) - 50 + 1000 * r;
                    }
                }
                List<float[][]> out = cluster.run(c -> {
                    Tensor flat = tensor(inputs[c.rank()]);
                    for (Partition b : plan.buckets()) {
                        c.reduceScatter(flat, b);
                    }
                    float[] scattered = values(flat);
                    for (Partition b : plan.buckets()) {
                        c.allGather(flat, b);
                    }
                    return new float[][] {scattered, values(flat)};
                });
                for (int r = 0; r < world; r++) {
                    for (int e = 0; e < size; e++) {
                        float sum = 0;
                        for (float[] in : inputs) {
                            sum += in[e];
                        }
                        boolean owned = contains(plan.shard(r), e);
                        boolean trains = contains(plan.trainable(), e);
                        String where = "world " + world + ", size " + size + ", rank " + r + ", element " + e;
                        if (owned) {
                            assertEquals(sum, out.get(r)[0][e], "reduce-scatter, " + where);
                        }
                        assertEquals(trains ? sum : inputs[r][e], out.get(r)[1][e], "all-gather, " + where);
                    }
                }
            }
        }
    }

    private static boolean contains(List<Range> ranges, long e) {
        return ranges.stream().anyMatch(r -> r.start() <= e && e < r.end());
    }

    private static List<List<Range>> cuts(BucketPlan plan) {
        List<List<Range>> out = new ArrayList<>();
        for (Partition p : plan.buckets()) {
            out.add(p.trainable());
        }
        return out;
    }
}
