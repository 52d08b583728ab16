package io.share4v.train.plan;

/**
 * Which rows of the training data each rank reads at each optimizer step: the one place the global batch, the
 * micro-batch and the world size meet the data. Rows are numbered in shard order (the files as the shard manifest
 * lists them, rows in file order), so a schedule is a pure function of the plan's numbers and never of timing.
 */
public interface RowSchedule {
    /**
     * The micro-batches rank {@code rank} trains on at optimizer step {@code step}, in the order their gradients
     * are accumulated: each entry is one micro-batch, the global row indices of its samples in batch order.
     */
    long[][] rows(long step, int rank);

    /** Optimizer steps in the whole run. */
    long steps();
}
