package io.share4v.train.plan;

import static io.share4v.common.config.ConfigChecks.require;

/**
 * The three batch numbers of a run and the accumulation they imply: the global batch {@code G} (rows per
 * optimizer step), the per-device micro-batch {@code m} (rows per forward/backward) and the world {@code W}
 * (workers). Each worker accumulates {@code a = G / (m·W)} micro-batches per step, so a global batch that is not
 * a multiple of {@code m·W} is refused before any work starts.
 */
public record BatchShape(int globalBatch, int microBatch, int workers) {
    public BatchShape {
        require(globalBatch >= 1, "global_batch_size", globalBatch, ">= 1");
        require(microBatch >= 1, "per_device_batch_size", microBatch, ">= 1");
        require(workers >= 1 && workers <= 1 << 16, "workers", workers, "1..65536");
        long perAccumulation = (long) microBatch * workers;
        require(
                globalBatch % perAccumulation == 0,
                "global_batch_size",
                globalBatch,
                "a multiple of per_device_batch_size × workers = " + microBatch + " × " + workers + " = "
                        + perAccumulation);
    }

    /** Micro-batches each worker accumulates per optimizer step. */
    public int accumulation() {
        return (int) (globalBatch / ((long) microBatch * workers));
    }

    /** Micro-batches per optimizer step over all workers ({@code G / m}); independent of the world size. */
    public int microBatchesPerStep() {
        return globalBatch / microBatch;
    }
}
