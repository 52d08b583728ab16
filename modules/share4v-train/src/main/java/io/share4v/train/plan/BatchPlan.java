package io.share4v.train.plan;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;
import java.util.OptionalLong;

/**
 * The rows of every optimizer step, in one global order that does not depend on the number of workers.
 *
 * <p>Rows are numbered {@code 0 .. N-1} in shard order (the shard files in manifest order, rows in file order).
 * Step {@code s} of an epoch covers positions {@code [s·G, (s+1)·G)}; they are cut into {@code G/m} micro-batches
 * of {@code m} consecutive rows, and worker {@code w} takes the contiguous run of micro-batches
 * {@code w·a .. w·a+a-1} ({@code a} = {@link BatchShape#accumulation()}). Concatenating the workers' shares in rank
 * order therefore gives the same micro-batch sequence for every world size {@code W}: with a reduction that sums
 * micro-batch gradients in that order, N workers compute what 1 worker computes.
 *
 * <p><b>The last partial global batch.</b> The reference (HF Trainer 4.31) hands its sampler to accelerate, whose
 * batch-sampler shard deals whole micro-batches of {@code m} rows round-robin (micro-batch {@code i} of the epoch to
 * rank {@code i mod W}) and, with {@code drop_last} false and {@code even_batches} (the defaults), completes the
 * epoch's last micro-batch and the missing micro-batches of the last step with rows from the start of the epoch.
 * Every micro-batch is full, each rank runs {@code ceil(ceil(N/m)/W) = ceil(N/G)} micro-batches (both stages
 * accumulate 1), and the last step's global batch is the epoch's last {@code N mod G} rows followed by its first
 * rows. {@link LastBatch#REPEAT} (the default) is that rule written on the global order: the epoch is padded to a
 * multiple of {@code G} by repeating its rows from the start (cyclically when {@code N < G}), so it equals the
 * reference row for row when {@code a = 1} and keeps the same rows and {@code ceil(N/G)} steps for any {@code a}
 * and {@code W}. Two things differ: with {@code a > 1} the reference's Trainer counts
 * {@code len(dataloader) // a} optimizer steps and leaves a trailing partial accumulation unapplied, while this plan
 * pads instead, so the step count never depends on {@code W}; and an older DistributedSampler-style split (pad to a
 * multiple of {@code W}, rank {@code r} takes every {@code W}-th row, a shorter last micro-batch) has the same step
 * count but rank shares and a last micro-batch that depend on {@code W}, which this plan avoids by construction.
 * {@link LastBatch#DROP} runs {@code floor(N/G)} steps and never reads the last {@code N mod G} rows of an epoch.
 *
 * <p><b>Epochs.</b> Every epoch reads the rows in the same order. The reference reshuffles each epoch; here the
 * order is the shard job's business (a seeded shuffle, or {@code group_by_modality_length} over megabatches of
 * its {@code world_size × per_device_batch} rows, which lines up with this plan's global batches when that
 * product is {@code G}): another order means another shard job with another seed. Both stages train one epoch.
 */
public final class BatchPlan implements RowSchedule {
    private final long rows;
    private final BatchShape shape;
    private final LastBatch lastBatch;
    private final long stepsPerEpoch;
    private final long steps;

    /**
     * @param rows      rows in the shards, {@code N}
     * @param epochs    passes over the rows ({@code num_train_epochs})
     * @param maxSteps  when present, the run's optimizer steps regardless of epochs (later epochs follow the same
     *                  order, as HF's {@code max_steps} overrides {@code num_train_epochs})
     */
    public BatchPlan(long rows, BatchShape shape, LastBatch lastBatch, int epochs, OptionalLong maxSteps) {
        require(rows >= 1, "rows in the shards", rows, ">= 1");
        ConfigName.requirePresent(lastBatch, LastBatch.class, "last_batch");
        require(epochs >= 1, "num_train_epochs", epochs, ">= 1");
        require(maxSteps.orElse(1) >= 1, "max_steps", maxSteps.orElse(0), ">= 1 (or unset)");
        long g = shape.globalBatch();
        if (lastBatch == LastBatch.DROP) {
            require(
                    rows >= g,
                    "rows in the shards",
                    rows,
                    ">= global_batch_size = " + g + " with last_batch drop (no whole global batch otherwise)");
        }
        this.rows = rows;
        this.shape = shape;
        this.lastBatch = lastBatch;
        this.stepsPerEpoch = lastBatch == LastBatch.REPEAT ? (rows + g - 1) / g : rows / g;
        this.steps = maxSteps.isPresent() ? maxSteps.getAsLong() : Math.multiplyExact(stepsPerEpoch, epochs);
    }

    @Override
    public long[][] rows(long step, int rank) {
        if (step < 0 || step >= steps) {
            throw new IllegalArgumentException("step " + step + " is outside the plan's 0.." + (steps - 1));
        }
        if (rank < 0 || rank >= shape.workers()) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (shape.workers() - 1));
        }
        int a = shape.accumulation();
        int m = shape.microBatch();
        long first = (step % stepsPerEpoch) * shape.globalBatch() + (long) rank * a * m;
        long[][] micro = new long[a][m];
        for (int j = 0; j < a; j++) {
            for (int i = 0; i < m; i++) {
                // positions past N exist only under REPEAT: they wrap to the epoch's first rows
                micro[j][i] = (first + (long) j * m + i) % rows;
            }
        }
        return micro;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** Optimizer steps of one pass over the rows. */
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public BatchShape shape() {
        return shape;
    }

    public LastBatch lastBatch() {
        return lastBatch;
    }

    /** {@code N}, the rows in the shards. */
    public long rowCount() {
        return rows;
    }
}
