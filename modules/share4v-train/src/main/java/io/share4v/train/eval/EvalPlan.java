package io.share4v.train.eval;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.train.plan.RowSchedule;

/**
 * Which held-out rows each rank evaluates, in which micro-batches. The split's {@code N} rows (shard order) are cut
 * once into {@code k = ceil(N/m)} micro-batches of {@code m} consecutive rows, the last one short when {@code m}
 * does not divide {@code N} (never completed by repeating rows: every row counts exactly once), and rank {@code r}
 * of {@code W} takes the contiguous run of micro-batches {@code floor(k·r/W) .. floor(k·(r+1)/W) - 1}. The
 * micro-batches are therefore the same for every world size (so is every per-micro-batch number), shares differ by
 * at most one micro-batch, and a rank gets none when {@code k < W}.
 *
 * <p>As a {@link RowSchedule} (what the prefetching loader reads), pass {@code p}'s "step" {@code p·M + i} is the
 * rank's {@code i}-th micro-batch, {@code M = ceil(k/W)} being the most any rank has; a rank's steps past its share
 * hold no micro-batch. One loader then serves every pass of a run, preparing each pass's first micro-batches while
 * the model trains.
 */
public final class EvalPlan implements RowSchedule {
    private final long rows;
    private final int microBatch;
    private final int world;
    private final int passes;
    private final long microBatches;
    private final long stepsPerPass;

    /**
     * @param rows       rows in the held-out split, {@code N >= 1}
     * @param microBatch rows per micro-batch, the run's per-device batch
     * @param world      the number of ranks
     * @param passes     validation passes in this run (each reads every row once)
     */
    public EvalPlan(long rows, int microBatch, int world, int passes) {
        require(rows >= 1, "rows in data.eval_shards", rows, ">= 1");
        require(microBatch >= 1, "batch.per_device_batch_size", microBatch, ">= 1");
        require(world >= 1, "world", world, ">= 1");
        require(passes >= 0, "validation passes", passes, ">= 0");
        this.rows = rows;
        this.microBatch = microBatch;
        this.world = world;
        this.passes = passes;
        this.microBatches = (rows + microBatch - 1) / microBatch;
        this.stepsPerPass = (microBatches + world - 1) / world;
    }

    @Override
    public long[][] rows(long step, int rank) {
        if (step < 0 || step >= steps()) {
            throw new IllegalArgumentException("step " + step + " is outside the plan's 0.." + (steps() - 1));
        }
        if (rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (world - 1));
        }
        long micro = firstMicroBatch(rank) + step % stepsPerPass;
        if (micro >= firstMicroBatch(rank + 1)) {
            return new long[0][];
        }
        long first = micro * microBatch;
        long[] batch = new long[(int) (Math.min(rows, first + microBatch) - first)];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = first + i;
        }
        return new long[][] {batch};
    }

    private long firstMicroBatch(int rank) {
        return microBatches * rank / world;
    }

    /** Every pass's steps. */
    @Override
    public long steps() {
        return passes * stepsPerPass;
    }

    /** The steps of one pass, {@code ceil(k/W)}. */
    public long stepsPerPass() {
        return stepsPerPass;
    }

    /** The micro-batches of the whole split, {@code ceil(N/m)}. */
    public long microBatches() {
        return microBatches;
    }

    public int passes() {
        return passes;
    }
}
