package io.share4v.eval.run;

import static io.share4v.common.config.ConfigChecks.positive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which questions go through the generator: batches of question positions. Without grouping, batches
 * are consecutive runs of the question order. With grouping, the questions of each window of {@code windowBatches}
 * consecutive batches are sorted by spliced prompt length (stably, so equal lengths keep their order) before being
 * cut into batches, so that a batch pads its prefill to a length close to each of its prompts' (a text-only
 * ScienceQA question batched with image questions would otherwise pay for 576 image positions it does not have).
 * A window never reaches past its own questions, so answers wait at most one window to be written in order.
 *
 * @param batches question positions per batch, in generation order; every position exactly once
 */
public record BatchSchedule(List<int[]> batches) {
    public BatchSchedule {
        batches = List.copyOf(batches);
    }

    /**
     * @param lengths       every question's spliced prompt length, in question order
     * @param batchSize     questions per batch (the last batch of a window may be smaller)
     * @param windowBatches batches per sorting window; 1 = no grouping (question order)
     */
    public static BatchSchedule plan(int[] lengths, int batchSize, int windowBatches) {
        positive("eval.batch_size", batchSize);
        positive("eval.group_window_batches", windowBatches);
        int n = lengths.length;
        List<int[]> out = new ArrayList<>((n + batchSize - 1) / batchSize);
        int window = windowBatches == 1 ? batchSize : Math.multiplyExact(batchSize, windowBatches);
        for (int from = 0; from < n; from += window) {
            int to = Math.min(n, from + window);
            Integer[] order = new Integer[to - from];
            for (int i = 0; i < order.length; i++) {
                order[i] = from + i;
            }
            if (windowBatches > 1) {
                Arrays.sort(order, Comparator.comparingInt(q -> lengths[q])); // stable (merge sort)
            }
            for (int b = 0; b < order.length; b += batchSize) {
                int[] batch = new int[Math.min(batchSize, order.length - b)];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = order[b + i];
                }
                out.add(batch);
            }
        }
        return new BatchSchedule(out);
    }

    public int size() {
        return batches.size();
    }

    public int[] batch(int k) {
        return batches.get(k).clone();
    }

    /** Prefill positions the schedule computes: each batch's size times its longest prompt. */
    public long paddedPrefillPositions(int[] lengths) {
        long s = 0;
        for (int[] b : batches) {
            int longest = 0;
            for (int q : b) {
                longest = Math.max(longest, lengths[q]);
            }
            s += (long) longest * b.length;
        }
        return s;
    }
}
