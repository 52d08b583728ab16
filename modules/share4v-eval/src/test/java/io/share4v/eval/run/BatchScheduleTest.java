package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchScheduleTest {
    private static List<int[]> batches(BatchSchedule s) {
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < s.size(); k++) {
            out.add(s.batch(k));
        }
        return out;
    }

    @Test
    void withoutGroupingBatchesFollowTheQuestionOrder() {
        BatchSchedule s = BatchSchedule.plan(new int[] {5, 600, 7, 610, 9, 8, 620}, 3, 1);
        List<int[]> b = batches(s);
        assertEquals(3, b.size());
        assertArrayEquals(new int[] {0, 1, 2}, b.get(0));
        assertArrayEquals(new int[] {3, 4, 5}, b.get(1));
        assertArrayEquals(new int[] {6}, b.get(2));
        assertEquals(3 * 600 + 3 * 610 + 620, s.paddedPrefillPositions(new int[] {5, 600, 7, 610, 9, 8, 620}));
    }

    /** Text-only (short) and image (long) prompts mixed: grouping within a window of 2 batches separates them. */
    @Test
    void groupingSortsEachWindowStablyAndNeverCrossesIt() {
        int[] lengths = {5, 600, 7, 610, 9, 5, 620, 4};
        BatchSchedule s = BatchSchedule.plan(lengths, 2, 2);
        List<int[]> b = batches(s);
        // window 1 = questions 0..3: lengths 5, 600, 7, 610; window 2 = 4..7: 9, 5, 620, 4
        assertArrayEquals(new int[] {0, 2}, b.get(0));
        assertArrayEquals(new int[] {1, 3}, b.get(1));
        assertArrayEquals(new int[] {7, 5}, b.get(2), "4 before 5; the two 5s would keep their order");
        assertArrayEquals(new int[] {4, 6}, b.get(3));
        assertEquals(2 * 7 + 2 * 610 + 2 * 5 + 2 * 620, s.paddedPrefillPositions(lengths));
        assertEquals(
                2 * 600 + 2 * 610 + 2 * 9 + 2 * 620,
                BatchSchedule.plan(lengths, 2, 1).paddedPrefillPositions(lengths));
    }

    @Test
    void everyQuestionIsScheduledOnce() {
        int[] lengths = new int[103];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (i * 37) % 11 + 1;
        }
        for (int window : new int[] {1, 2, 5, 40}) {
            List<Integer> seen = new ArrayList<>();
            for (int[] batch : batches(BatchSchedule.plan(lengths, 4, window))) {
                for (int q : batch) {
                    seen.add(q);
                }
            }
            Collections.sort(seen);
            assertEquals(lengths.length, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i));
            }
        }
        assertEquals(0, BatchSchedule.plan(new int[0], 4, 2).size());
        assertThrows(IllegalArgumentException.class, () -> BatchSchedule.plan(lengths, 0, 1));
    }
}
