package io.share4v.train.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EvalPlanTest {
    /** Every micro-batch of pass {@code pass}, rank by rank, each rank's in order. */
    private static List<long[]> pass(EvalPlan plan, int world, int pass) {
        List<long[]> all = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            for (long s = pass * plan.stepsPerPass(); s < (pass + 1) * plan.stepsPerPass(); s++) {
                long[][] micro = plan.rows(s, r);
                assertTrue(micro.length <= 1, "at most one micro-batch per step");
                for (long[] m : micro) {
                    all.add(m);
                }
            }
        }
        return all;
    }

    @Test
    void everyRowOnceInTheSameMicroBatchesForEveryWorldSize() {
        for (long rows : new long[] {1, 5, 11, 12}) {
            for (int micro : new int[] {1, 2, 3}) {
                List<long[]> one = pass(new EvalPlan(rows, micro, 1, 2), 1, 0);
                long[] flat = one.stream().flatMapToLong(LongStream::of).toArray();
                assertArrayEquals(LongStream.range(0, rows).toArray(), flat, "rows " + rows + ", micro " + micro);
                for (int i = 0; i < one.size(); i++) {
                    int want = i < one.size() - 1 ? micro : (int) (rows - (long) micro * (one.size() - 1));
                    assertEquals(want, one.get(i).length, "only the last micro-batch is short");
                }
                for (int world : new int[] {2, 3, 4, 7}) {
                    EvalPlan plan = new EvalPlan(rows, micro, world, 2);
                    assertEquals(2 * plan.stepsPerPass(), plan.steps());
                    for (int p = 0; p < 2; p++) {
                        List<long[]> got = pass(plan, world, p);
                        assertEquals(one.size(), got.size());
                        for (int i = 0; i < got.size(); i++) {
                            assertArrayEquals(one.get(i), got.get(i), "W=" + world + ", micro-batch " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sharesAreContiguousAndBalancedAndARankMayHaveNone() {
        // 5 rows in micro-batches of 2: 3 micro-batches over 2 ranks (1 and 2), over 4 ranks (0, 1, 1, 1)
        EvalPlan two = new EvalPlan(5, 2, 2, 1);
        assertEquals(2, two.stepsPerPass());
        assertArrayEquals(new long[][] {{0, 1}}, two.rows(0, 0));
        assertArrayEquals(new long[0][], two.rows(1, 0));
        assertArrayEquals(new long[][] {{2, 3}}, two.rows(0, 1));
        assertArrayEquals(new long[][] {{4}}, two.rows(1, 1));
        EvalPlan four = new EvalPlan(5, 2, 4, 1);
        assertEquals(1, four.stepsPerPass());
        assertArrayEquals(new long[0][], four.rows(0, 0));
        assertArrayEquals(new long[][] {{4}}, four.rows(0, 3));
        assertThrows(IllegalArgumentException.class, () -> four.rows(1, 0));
        assertThrows(IllegalArgumentException.class, () -> four.rows(0, 4));
    }

    @Test
    void pointsAreEveryNthCompletedStepAndTheLast() {
        assertEquals(List.of(4L, 6L), due(new EvalPoints(0, 6, 6, 4L)));
        assertEquals(List.of(4L, 8L), due(new EvalPoints(0, 8, 8, 4L)));
        assertEquals(List.of(6L), due(new EvalPoints(0, 6, 6, null)));
        assertEquals(List.of(4L), due(new EvalPoints(0, 4, 6, 4L)), "stopped early: no end-of-run validation");
        assertEquals(List.of(), due(new EvalPoints(0, 3, 6, null)));
        assertEquals(List.of(6L), due(new EvalPoints(4, 6, 6, 4L)), "a resumed run does not repeat step 4");
        assertEquals(List.of(), due(new EvalPoints(6, 6, 6, 1L)));
        for (long first = 0; first <= 9; first++) {
            for (long end = first; end <= 9; end++) {
                for (Long every : new Long[] {null, 1L, 2L, 3L, 5L}) {
                    EvalPoints p = new EvalPoints(first, end, 9, every);
                    assertEquals(due(p).size(), p.count(), p.toString());
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new EvalPoints(0, 7, 6, 1L));
        assertThrows(IllegalArgumentException.class, () -> new EvalPoints(0, 6, 6, 0L));
    }

    private static List<Long> due(EvalPoints p) {
        return LongStream.rangeClosed(0, p.total() + 1).filter(p::due).boxed().toList();
    }
}
