package io.share4v.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
    private static BatchPlan plan(long rows, int g, int m, int w, LastBatch last, int epochs) {
        return new BatchPlan(rows, new BatchShape(g, m, w), last, epochs, OptionalLong.empty());
    }

    /** The micro-batches of a step over all ranks, in rank order then accumulation order. */
    private static List<List<Long>> stepSequence(BatchPlan p, long step) {
        List<List<Long>> seq = new ArrayList<>();
        for (int rank = 0; rank < p.shape().workers(); rank++) {
            for (long[] micro : p.rows(step, rank)) {
                seq.add(Arrays.stream(micro).boxed().toList());
            }
        }
        return seq;
    }

    @Test
    void theMicroBatchSequenceDoesNotDependOnTheWorldSize() {
        for (LastBatch last : LastBatch.values()) {
            BatchPlan one = plan(37, 16, 2, 1, last, 2);
            for (int w : new int[] {2, 4, 8}) {
                BatchPlan many = plan(37, 16, 2, w, last, 2);
                assertEquals(one.steps(), many.steps());
                assertEquals(8 / w, many.shape().accumulation());
                for (long s = 0; s < one.steps(); s++) {
                    assertEquals(stepSequence(one, s), stepSequence(many, s), last + " W=" + w + " step " + s);
                }
            }
        }
        // rank 1 of 4 at accumulation 2 takes micro-batches 2 and 3 of the step: rows 4..7
        assertArrayEquals(
                new long[][] {{4, 5}, {6, 7}},
                plan(37, 16, 2, 4, LastBatch.REPEAT, 1).rows(0, 1));
        assertArrayEquals(
                new long[][] {{20, 21}, {22, 23}},
                plan(37, 16, 2, 4, LastBatch.REPEAT, 1).rows(1, 1));
    }

    @Test
    void aRemainderIsAStartupErrorNamingTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchShape(250, 16, 4));
        assertEquals(
                "global_batch_size = 250 is invalid: expected a multiple of per_device_batch_size × workers"
                        + " = 16 × 4 = 64",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchShape(8, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchShape(8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchShape(8, 2, 0));
        assertEquals(1, new BatchShape(256, 16, 16).accumulation());
        assertEquals(16, new BatchShape(256, 16, 1).accumulation());
    }

    @Test
    void repeatPadsTheLastStepWithTheEpochsFirstRows() {
        BatchPlan p = plan(10, 8, 2, 2, LastBatch.REPEAT, 1);
        assertEquals(2, p.steps());
        assertArrayEquals(new long[][] {{8, 9}, {0, 1}}, p.rows(1, 0));
        assertArrayEquals(new long[][] {{2, 3}, {4, 5}}, p.rows(1, 1));
        // fewer rows than one global batch: the rows repeat cyclically
        BatchPlan tiny = plan(3, 8, 2, 2, LastBatch.REPEAT, 1);
        assertEquals(1, tiny.steps());
        assertArrayEquals(new long[][] {{0, 1}, {2, 0}}, tiny.rows(0, 0));
        assertArrayEquals(new long[][] {{1, 2}, {0, 1}}, tiny.rows(0, 1));
    }

    @Test
    void repeatIsTheReferencesRuleRowForRowAtAccumulationOne() {
        for (int n = 1; n <= 40; n++) {
            for (int m : new int[] {1, 2, 3, 4}) {
                for (int w : new int[] {1, 2, 3, 4}) {
                    BatchPlan p = plan(n, m * w, m, w, LastBatch.REPEAT, 1);
                    for (int rank = 0; rank < w; rank++) {
                        List<long[]> reference = acceleratedShard(n, m, w, rank);
                        // HF's step count: ceil(ceil(N / per_device_bs) / world)
                        assertEquals(((n + m - 1) / m + w - 1) / w, p.steps());
                        assertEquals(reference.size(), p.steps(), "N=" + n + " m=" + m + " W=" + w);
                        for (int s = 0; s < reference.size(); s++) {
                            assertArrayEquals(reference.get(s), p.rows(s, rank)[0], "N=" + n + " step " + s);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dropDiffersFromTheReferenceByNeverReadingTheTail() {
        BatchPlan drop = plan(21, 8, 2, 2, LastBatch.DROP, 1);
        BatchPlan repeat = plan(21, 8, 2, 2, LastBatch.REPEAT, 1);
        assertEquals(2, drop.steps()); // floor(21 / 8)
        assertEquals(3, repeat.steps()); // ceil(21 / 8), as the reference
        assertEquals(new TreeSet<>(List.of(16L, 17L, 18L, 19L, 20L)), missing(drop, 21));
        assertEquals(new TreeSet<Long>(), missing(repeat, 21));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> plan(5, 8, 2, 2, LastBatch.DROP, 1));
        assertTrue(e.getMessage().startsWith("rows in the shards = 5 is invalid: expected >= global_batch_size = 8"));
    }

    @Test
    void epochsRepeatTheSameOrderAndMaxStepsOverridesThem() {
        BatchPlan p = plan(10, 8, 2, 2, LastBatch.REPEAT, 3);
        assertEquals(2, p.stepsPerEpoch());
        assertEquals(6, p.steps());
        for (int s = 0; s < 2; s++) {
            assertEquals(stepSequence(p, s), stepSequence(p, s + 2));
            assertEquals(stepSequence(p, s), stepSequence(p, s + 4));
        }
        BatchPlan max = new BatchPlan(10, new BatchShape(8, 2, 2), LastBatch.REPEAT, 1, OptionalLong.of(5));
        assertEquals(5, max.steps());
        assertEquals(stepSequence(max, 0), stepSequence(max, 4));
        assertThrows(IllegalArgumentException.class, () -> max.rows(5, 0));
        assertThrows(IllegalArgumentException.class, () -> max.rows(0, 2));
        assertThrows(IllegalArgumentException.class, () -> plan(0, 8, 2, 2, LastBatch.REPEAT, 1));
    }

    private static TreeSet<Long> missing(BatchPlan p, long rows) {
        TreeSet<Long> unseen = new TreeSet<>();
        for (long r = 0; r < rows; r++) {
            unseen.add(r);
        }
        for (long s = 0; s < p.steps(); s++) {
            stepSequence(p, s).forEach(micro -> micro.forEach(unseen::remove));
        }
        return unseen;
    }

    /**
     * The reference's batches of one rank: HF Trainer 4.31 builds a DataLoader of micro-batches of {@code m} over
     * the sampler's order (here 0..N-1) with drop_last false, and accelerate's batch-sampler shard (split_batches
     * false, even_batches true) deals them round-robin and completes the end with the first rows, transcribed
     * from its {@code _iter_with_no_split}.
     */
    private static List<long[]> acceleratedShard(int n, int m, int w, int rank) {
        List<List<Long>> batches = new ArrayList<>();
        for (int start = 0; start < n; start += m) {
            List<Long> b = new ArrayList<>();
            for (long i = start; i < Math.min(n, start + m); i++) {
                b.add(i);
            }
            batches.add(b);
        }
        List<long[]> out = new ArrayList<>();
        List<Long> initial = new ArrayList<>();
        List<Long> toYield = new ArrayList<>();
        int idx = 0;
        List<Long> batch = List.of();
        for (; idx < batches.size(); idx++) {
            batch = batches.get(idx);
            if (idx < w) {
                initial.addAll(batch);
            }
            if (idx % w == rank) {
                toYield = batch;
            }
            if (idx % w == w - 1 && batch.size() == m) {
                out.add(toArray(toYield));
                toYield = List.of();
            }
        }
        idx--; // Python's loop variable keeps the last index
        if (toYield.size() == m) {
            out.add(toArray(toYield));
        }
        while (initial.size() < w * m) {
            initial.addAll(new ArrayList<>(initial));
        }
        List<Long> last = new ArrayList<>(batch);
        if (last.size() == m) {
            last.clear();
            idx++;
        }
        int cycle = 0;
        while (idx % w != 0 || !last.isEmpty()) {
            int end = cycle + m - last.size();
            last.addAll(initial.subList(cycle, end));
            if (idx % w == rank) {
                out.add(toArray(last));
            }
            cycle = end;
            last = new ArrayList<>();
            idx++;
        }
        return out;
    }

    private static long[] toArray(List<Long> rows) {
        return rows.stream().mapToLong(Long::longValue).toArray();
    }
}
