package io.share4v.train.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.DirectStorage;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionTest {
    @Test
    void shardsAreContiguousAlignedAndBalanced() {
        Partition p = Partition.of(1000, List.of(new Range(0, 100), new Range(300, 333), new Range(500, 1000)), 3);
        assertEquals(633, p.trainableSize());
        // 633 elements = 40 units of 16 (the last one 9 long): 13, 13, 14 units
        assertEquals(List.of(new Range(0, 100), new Range(300, 333), new Range(500, 575)), p.shard(0));
        assertEquals(List.of(new Range(575, 783)), p.shard(1));
        assertEquals(List.of(new Range(783, 1000)), p.shard(2));
        assertEquals(208, p.shardSize(0));
        assertEquals(208, p.shardSize(1));
        assertEquals(217, p.shardSize(2));
        assertEquals(217, p.maxShardSize());
    }

    @Test
    void ownersFollowTheShardsAndFrozenElementsHaveNone() {
        Partition p = Partition.of(1000, List.of(new Range(0, 100), new Range(300, 333), new Range(500, 1000)), 3);
        for (long e = 0; e < p.size(); e++) {
            int expected = Partition.FROZEN;
            for (int r = 0; r < 3; r++) {
                for (Range range : p.shard(r)) {
                    if (e >= range.start() && e < range.end()) {
                        expected = r;
                    }
                }
            }
            assertEquals(expected, p.owner(e), "element " + e);
        }
        assertEquals(Partition.FROZEN, p.owner(100));
        assertEquals(Partition.FROZEN, p.owner(499));
        assertThrows(IndexOutOfBoundsException.class, () -> p.owner(1000));
    }

    @Test
    void fewerUnitsThanRanksLeaveEmptyShards() {
        Partition p = Partition.of(50, List.of(new Range(10, 30)), 4);
        // 20 elements = 2 units: two ranks own nothing
        long total = 0;
        int empty = 0;
        for (int r = 0; r < 4; r++) {
            total += p.shardSize(r);
            empty += p.shard(r).isEmpty() ? 1 : 0;
            assertEquals(
                    p.shardSize(r), p.shard(r).stream().mapToLong(Range::size).sum());
        }
        assertEquals(20, total);
        assertEquals(2, empty);
        assertEquals(p.owner(10), p.owner(25));
        assertNotEquals(p.owner(25), p.owner(26));

        Partition none = Partition.of(5, List.of(), 3);
        assertEquals(0, none.trainableSize());
        assertTrue(none.shard(2).isEmpty());
    }

    @Test
    void randomPartitionsCoverTheTrainableElementsOnceWithinAnAlignmentUnit() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            long size = 1 + random.nextInt(5000);
            List<Range> ranges = randomRanges(random, size);
            int world = 1 + random.nextInt(9);
            int alignment = 1 + random.nextInt(32);
            Partition p = Partition.of(size, ranges, world, alignment);
            long[] owners = new long[(int) size];
            Arrays.fill(owners, Partition.FROZEN);
            long min = Long.MAX_VALUE;
            long max = 0;
            long cut = 0;
            for (int r = 0; r < world; r++) {
                for (Range range : p.shard(r)) {
                    for (long e = range.start(); e < range.end(); e++) {
                        assertEquals(Partition.FROZEN, owners[(int) e], "element " + e + " in two shards");
                        owners[(int) e] = r;
                    }
                }
                min = Math.min(min, p.shardSize(r));
                max = Math.max(max, p.shardSize(r));
                if (r < world - 1) {
                    cut += p.shardSize(r);
                    assertEquals(0, cut % alignment, "cut after rank " + r + " of " + p);
                }
            }
            assertTrue(max - min <= alignment, p + ": shard sizes " + min + ".." + max);
            for (long e = 0; e < size; e++) {
                long element = e;
                boolean trainable = ranges.stream().anyMatch(rg -> rg.start() <= element && element < rg.end());
                assertEquals(trainable ? owners[(int) e] : Partition.FROZEN, p.owner(e));
                assertEquals(trainable, owners[(int) e] != Partition.FROZEN);
            }
        }
    }

    @Test
    void invalidRangesAreRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> Partition.of(10, List.of(new Range(5, 8), new Range(2, 4)), 2));
        assertThrows(
                IllegalArgumentException.class, () -> Partition.of(10, List.of(new Range(0, 5), new Range(4, 8)), 2));
        assertThrows(IllegalArgumentException.class, () -> Partition.of(10, List.of(new Range(3, 3)), 2));
        assertThrows(IllegalArgumentException.class, () -> Partition.of(10, List.of(new Range(8, 11)), 2));
        assertThrows(IllegalArgumentException.class, () -> Partition.whole(10, 0));
        // adjacent ranges are merged, and the result equals the partition of the merged range
        Partition merged = Partition.of(10, List.of(new Range(0, 4), new Range(4, 10)), 2);
        assertEquals(List.of(new Range(0, 10)), merged.trainable());
        assertEquals(Partition.whole(10, 2), merged);
        assertEquals(Partition.whole(10, 2).hashCode(), merged.hashCode());
    }

    @Test
    void chunksCoverEachShardInOrderAndSplitAtFrozenGaps() {
        Partition p = Partition.of(300, List.of(new Range(0, 70), new Range(90, 200), new Range(250, 260)), 2);
        ChunkPlan plan = new ChunkPlan(p, 32);
        Tensor flat = Tensor.view(new DirectStorage("java", 300 * 4L), DType.FLOAT, 0, 300);
        FloatBuffer values = flat.floats();
        for (int i = 0; i < 300; i++) {
            values.put(i, i);
        }
        for (int k = 0; k < 2; k++) {
            List<Float> expected = new ArrayList<>();
            for (Range r : p.shard(k)) {
                for (long e = r.start(); e < r.end(); e++) {
                    expected.add((float) e);
                }
            }
            List<Float> seen = new ArrayList<>();
            for (int c = 0; c < plan.chunks(k); c++) {
                int elements = 0;
                for (ByteBuffer w : plan.windows((DirectStorage) flat.storage(), 0, k, c)) {
                    FloatBuffer f = w.asFloatBuffer();
                    for (int j = 0; j < f.remaining(); j++) {
                        seen.add(f.get(j));
                    }
                    elements += f.remaining();
                }
                assertEquals(elements, plan.elements(k, c));
                assertTrue(elements == 32 || c == plan.chunks(k) - 1, "only the last chunk is short");
            }
            assertEquals(expected, seen, "shard " + k);
        }
    }

    private static List<Range> randomRanges(Random random, long size) {
        List<Range> out = new ArrayList<>();
        long at = random.nextInt(3) == 0 ? 0 : random.nextInt((int) Math.min(size, 50));
        while (at < size) {
            long end = Math.min(size, at + 1 + random.nextInt(400));
            out.add(new Range(at, end));
            at = end + random.nextInt(100);
        }
        return out;
    }
}
