package io.share4v.train.collective;

import static io.share4v.train.collective.RingBuffers.gappy;
import static io.share4v.train.collective.RingBuffers.ringSum;
import static io.share4v.train.collective.RingBuffers.settings;
import static io.share4v.train.collective.RingBuffers.tensor;
import static io.share4v.train.collective.RingBuffers.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpRingCollectiveTest {
    /** Buffer sizes: a single element, odd sizes below and above a few chunks per shard, an empty-shard case. */
    private static final int[] SIZES = {1, 5, 37, 1001};

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void allReduceSumsIntegerValuedFloatsExactlyAndLeavesFrozenElementsAlone(int world) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            for (int size : SIZES) {
                Partition p = Partition.of(size, gappy(size), world);
                float[][] inputs = integerInputs(world, size);
                List<float[]> out = cluster.run(c -> {
                    Tensor flat = tensor(inputs[c.rank()]);
                    c.allReduce(flat, p);
                    return values(flat);
                });
                for (int r = 0; r < world; r++) {
                    for (int e = 0; e < size; e++) {
                        float expected = p.owner(e) == Partition.FROZEN ? inputs[r][e] : exactSum(inputs, e);
                        assertEquals(
                                expected,
                                out.get(r)[e],
                                "world " + world + ", size " + size + ", rank " + r + ", element " + e);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void reduceScatterLeavesEachRankTheSumOfItsShard(int world) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            for (int size : SIZES) {
                Partition p = Partition.of(size, gappy(size), world);
                float[][] inputs = integerInputs(world, size);
                List<float[]> out = cluster.run(c -> {
                    Tensor flat = tensor(inputs[c.rank()]);
                    c.reduceScatter(flat, p);
                    return values(flat);
                });
                for (int r = 0; r < world; r++) {
                    for (int e = 0; e < size; e++) {
                        if (p.owner(e) == r) {
                            assertEquals(exactSum(inputs, e), out.get(r)[e], "rank " + r + " element " + e);
                        } else if (p.owner(e) == Partition.FROZEN) {
                            assertEquals(inputs[r][e], out.get(r)[e], "frozen element " + e + " of rank " + r);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void allGatherGivesEveryRankEachOwnersShard(int world) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            for (int size : SIZES) {
                Partition p = Partition.of(size, gappy(size), world);
                // every rank holds its own mark everywhere: after the gather, shard k must carry rank k's marks
                List<float[]> out = cluster.run(c -> {
                    float[] mine = new float[size];
                    for (int e = 0; e < size; e++) {
                        mine[e] = 1000 * c.rank() + e;
                    }
                    Tensor flat = tensor(mine);
                    c.allGather(flat, p);
                    return values(flat);
                });
                for (int r = 0; r < world; r++) {
                    for (int e = 0; e < size; e++) {
                        int owner = p.owner(e);
                        float expected = 1000 * (owner == Partition.FROZEN ? r : owner) + e;
                        assertEquals(expected, out.get(r)[e], "rank " + r + " element " + e);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void frozenElementsAreNeverSent(int world) throws Exception {
        int size = 1001;
        Partition p = Partition.of(size, gappy(size), world);
        long trainableBytes = p.trainableSize() * Float.BYTES;
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            List<long[]> sent = cluster.run(c -> {
                Tensor flat = tensor(new float[size]);
                long before = c.bytesSent();
                c.reduceScatter(flat, p);
                long afterReduceScatter = c.bytesSent();
                c.allGather(flat, p);
                long afterAllGather = c.bytesSent();
                c.allReduce(flat, p);
                return new long[] {
                    afterReduceScatter - before, afterAllGather - afterReduceScatter, c.bytesSent() - afterAllGather
                };
            });
            for (int r = 0; r < world; r++) {
                long own = p.shardSize(r) * Float.BYTES;
                long nextOwn = p.shardSize((r + 1) % world) * Float.BYTES;
                // reduce-scatter sends every shard but its own; all-gather every shard but the next rank's
                assertEquals(trainableBytes - own, sent.get(r)[0], "reduce-scatter bytes of rank " + r);
                assertEquals(trainableBytes - nextOwn, sent.get(r)[1], "all-gather bytes of rank " + r);
                assertEquals(2 * trainableBytes - own - nextOwn, sent.get(r)[2], "all-reduce bytes of rank " + r);
            }
        }
    }

    @Test
    void sumsAreBitIdenticalWhateverTheTimingAndFollowTheDocumentedOrder() throws Exception {
        int world = 4;
        int size = 1001;
        Partition p = Partition.of(size, gappy(size), world);
        float[][] inputs = new float[world][size];
        Random random = new Random(11);
        for (float[] row : inputs) {
            for (int e = 0; e < size; e++) {
                // mixed magnitudes, so a different summation order would change the rounded sum
                row[e] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            }
        }
        float[] reference = new float[size];
        for (int e = 0; e < size; e++) {
            reference[e] = p.owner(e) == Partition.FROZEN ? inputs[0][e] : ringSum(inputs, p, e);
        }
        assertFalse(sameAsNaiveOrder(inputs, p, reference), "the inputs must be order-sensitive for this test");
        for (int run = 0; run < 4; run++) {
            boolean delays = run > 0;
            try (LocalCluster cluster = LocalCluster.start(
                    world, settings(), rank -> delays ? TcpRingCollectiveTest::randomDelay : ChunkHook.NONE)) {
                List<float[]> out = cluster.run(c -> {
                    Tensor flat = tensor(inputs[c.rank()]);
                    c.allReduce(flat, p);
                    return values(flat);
                });
                for (int e = 0; e < size; e++) {
                    if (p.owner(e) == Partition.FROZEN) {
                        continue;
                    }
                    for (int r = 0; r < world; r++) {
                        assertEquals(
                                Float.floatToRawIntBits(reference[e]),
                                Float.floatToRawIntBits(out.get(r)[e]),
                                "run " + run + ", rank " + r + ", element " + e);
                    }
                }
            }
        }
    }

    @Test
    void allReduceEqualsReduceScatterThenAllGatherBitForBit() throws Exception {
        int world = 3;
        int size = 777;
        Partition p = Partition.of(size, gappy(size), world);
        float[][] inputs = new float[world][size];
        Random random = new Random(3);
        for (float[] row : inputs) {
            for (int e = 0; e < size; e++) {
                row[e] = (float) random.nextGaussian();
            }
        }
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            List<float[][]> out = cluster.run(c -> {
                Tensor once = tensor(inputs[c.rank()]);
                c.allReduce(once, p);
                Tensor twice = tensor(inputs[c.rank()]);
                c.reduceScatter(twice, p);
                c.allGather(twice, p);
                return new float[][] {values(once), values(twice)};
            });
            for (int r = 0; r < world; r++) {
                assertArrayEquals(out.get(r)[0], out.get(r)[1], "rank " + r);
                for (int e = 0; e < size; e++) {
                    if (p.owner(e) != Partition.FROZEN) {
                        assertEquals(out.get(0)[0][e], out.get(r)[0][e], "rank " + r + " against rank 0 at " + e);
                    }
                }
            }
        }
    }

    @Test
    void callsAfterWarmUpAllocateNoDirectMemory() throws Exception {
        int world = 3;
        int size = 5000;
        Partition whole = Partition.whole(size, world);
        Partition some = Partition.of(size, gappy(size), world);
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            List<Tensor> flats = cluster.run(c -> tensor(new float[size]));
            LocalCluster.RankTask<Void> calls = c -> {
                Tensor flat = flats.get(c.rank());
                c.allReduce(flat, whole);
                c.reduceScatter(flat, some);
                c.allGather(flat, some);
                c.barrier();
                return null;
            };
            cluster.run(calls);
            long[] pools = new long[world];
            for (int r = 0; r < world; r++) {
                pools[r] = cluster.ring(r).buffers().allocations();
                assertTrue(pools[r] > 0, "the pool serves the calls");
            }
            long jvmDirectBuffers = directBufferCount();
            for (int i = 0; i < 20; i++) {
                cluster.run(calls);
            }
            for (int r = 0; r < world; r++) {
                assertEquals(pools[r], cluster.ring(r).buffers().allocations(), "pool allocations of rank " + r);
            }
            assertTrue(
                    directBufferCount() <= jvmDirectBuffers,
                    "direct buffers in the JVM: " + jvmDirectBuffers + " before, " + directBufferCount() + " after");
        }
    }

    @Test
    void aWorldOfOneDoesNothing() throws Exception {
        Partition p = Partition.of(10, List.of(new Range(2, 9)), 1);
        try (LocalCluster cluster = LocalCluster.start(1, settings())) {
            float[] out = cluster.run(c -> {
                        Tensor flat = tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
                        c.reduceScatter(flat, p);
                        c.allGather(flat, p);
                        c.allReduce(flat, p);
                        c.barrier();
                        assertEquals(0, c.bytesSent());
                        return values(flat);
                    })
                    .get(0);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, out);
        }
    }

    @Test
    void barriersAndMixedCallsKeepTheRanksInStep() throws Exception {
        int world = 4;
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            List<Float> sums = cluster.run(c -> {
                float total = 0;
                for (int i = 0; i < 30; i++) {
                    if (i % 3 == 0) {
                        c.barrier();
                    }
                    int size = 1 + i * 13;
                    float[] values = new float[size];
                    Arrays.fill(values, c.rank() + 1);
                    Tensor flat = tensor(values);
                    c.allReduce(flat, Partition.whole(size, world));
                    total += values(flat)[size - 1];
                }
                return total;
            });
            for (float s : sums) {
                assertEquals(30 * 10f, s);
            }
        }
    }

    @Test
    void ranksInDifferentCallsFailWithAClearMessage() throws Exception {
        int world = 2;
        Partition p = Partition.whole(100, world);
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            List<String> messages = cluster.run(c -> {
                Tensor flat = tensor(new float[100]);
                CollectiveException e = assertThrows(CollectiveException.class, () -> {
                    if (c.rank() == 0) {
                        c.allReduce(flat, p);
                    } else {
                        c.allGather(flat, p);
                    }
                });
                CollectiveException again = assertThrows(CollectiveException.class, c::barrier);
                assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
                return e.getMessage();
            });
            String all = String.join("\n", messages);
            assertTrue(all.contains("called different operations or partitions"), all);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        IllegalArgumentException chunk = assertThrows(
                IllegalArgumentException.class,
                () -> TcpRingCollective.Settings.defaults().withChunkBytes(10));
        assertEquals("chunk_bytes = 10 is invalid: expected 64..268435456", chunk.getMessage());
        IllegalArgumentException timeout = assertThrows(
                IllegalArgumentException.class,
                () -> TcpRingCollective.Settings.defaults().withIoTimeout(Duration.ZERO));
        assertTrue(timeout.getMessage().startsWith("io_timeout = PT0S is invalid"), timeout.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TcpRingCollective.Settings.defaults().withChunkBytes(66));
    }

    @Test
    void buffersOfTheWrongKindOrSizeAreRefused() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(2, settings())) {
            List<String> messages = cluster.run(c -> {
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class,
                        () -> c.allReduce(tensor(new float[9]), Partition.whole(10, 2)));
                assertThrows(
                        IllegalArgumentException.class,
                        () -> c.allReduce(tensor(new float[10]), Partition.whole(10, 3)));
                return e.getMessage();
            });
            assertTrue(messages.get(0).contains("expected a host FLOAT buffer of 10 elements"), messages.get(0));
        }
    }

    private static void randomDelay(boolean sending, int step, int chunk) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextInt(3) == 0) {
            LockSupport.parkNanos(random.nextInt(400_000));
        }
    }

    private static float[][] integerInputs(int world, int size) {
        float[][] inputs = new float[world][size];
        for (int r = 0; r < world; r++) {
            for (int e = 0; e < size; e++) {
                inputs[r][e] = ((e * 7 + r * 13) % 101) - 50 + 1000 * r;
            }
        }
        return inputs;
    }

    private static float exactSum(float[][] inputs, int e) {
        long sum = 0;
        for (float[] row : inputs) {
            sum += (long) row[e];
        }
        return sum;
    }

    /** True when summing rank 0, 1, 2, ... in order would give the same bits everywhere (no order sensitivity). */
    private static boolean sameAsNaiveOrder(float[][] inputs, Partition p, float[] reference) {
        for (int e = 0; e < reference.length; e++) {
            if (p.owner(e) == Partition.FROZEN) {
                continue;
            }
            float naive = 0;
            for (float[] row : inputs) {
                naive += row[e];
            }
            if (naive != reference[e]) {
                return false;
            }
        }
        return true;
    }

    private static long directBufferCount() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        throw new IllegalStateException("no direct buffer pool bean");
    }
}
