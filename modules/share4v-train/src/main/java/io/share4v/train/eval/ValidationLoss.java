package io.share4v.train.eval;

import io.share4v.model.llava.Batch;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.LlavaModel;
import io.share4v.train.collective.Collective;
import io.share4v.train.collective.SmallSum;
import io.share4v.train.data.BatchSource;

/**
 * The validation loss of the model as it is now, over a held-out split, computed by every rank together: each rank
 * runs the forward pass with labels ({@link LlavaModel#forward}: no backward, no gradient written, parameters only
 * read) over its contiguous share of the split's micro-batches ({@link EvalPlan}), and the sums are added over ranks
 * ({@link SmallSum}). Training is not disturbed: the next optimizer step zeroes the gradients and recomputes every
 * activation it uses, so a run with validation trains exactly as one without.
 *
 * <p>Two means are reported ({@link EvalMetrics}). {@code evalLoss} is the token mean over the whole split, the
 * cross-entropy per supervised token that {@code exp} turns into perplexity; it does not depend on the micro-batch
 * size or the number of workers. {@code evalLossBatchMean} is what the reference's HF Trainer (4.31) would log as
 * {@code eval_loss}: its evaluation loop repeats each batch's loss (the token mean of that batch) once per sample,
 * gathers them and averages, i.e. the batch means weighted by batch size; it depends on the micro-batch size (here
 * the run's per-device batch) but, with {@link EvalPlan}'s batches, not on the number of workers. Both are equal
 * when every row has the same number of supervised tokens.
 *
 * <p>Not thread-safe: the rank's training thread calls {@link #evaluate} between optimizer steps; every rank calls
 * it at the same steps (it is a collective operation). The validation owns its batch source.
 */
public final class ValidationLoss implements AutoCloseable {
    /** Slots of the sum across ranks. */
    private static final int LOSS_SUM = 0;

    private static final int TOKENS = 1;
    private static final int ROW_WEIGHTED_MEANS = 2;
    private static final int ROWS_WITH_TOKENS = 3;
    private static final int ROWS = 4;
    private static final int MICRO_BATCHES = 5;
    private static final int SLOTS = 6;

    private final LlavaModel model;
    private final BatchSource source;
    private final EvalPlan plan;
    private final SmallSum totals;
    private int pass;

    /** @param source this rank's micro-batches of {@code plan} (the validation closes it) */
    public ValidationLoss(LlavaModel model, Collective collective, BatchSource source, EvalPlan plan) {
        this.model = model;
        this.source = source;
        this.plan = plan;
        this.totals = new SmallSum(model.backend(), collective, SLOTS);
    }

    /**
     * The next pass of the plan over the whole split, with the model's current parameters.
     *
     * @param step completed optimizer steps, recorded in the result
     * @throws IllegalStateException when the plan's passes are used up
     */
    public EvalMetrics evaluate(long step) {
        if (pass >= plan.passes()) {
            throw new IllegalStateException("validation pass " + pass + " asked, but the plan has " + plan.passes());
        }
        long start = System.nanoTime();
        long stallBefore = source.stallNanos();
        double[] local = new double[SLOTS];
        long first = pass * plan.stepsPerPass();
        for (long s = first; s < first + plan.stepsPerPass(); s++) {
            for (Batch b : source.microBatches(s)) {
                CausalLmLoss.Result r = model.forward(b).loss();
                int rows = b.inputIds().length;
                local[LOSS_SUM] += r.sum();
                local[TOKENS] += r.tokens();
                local[ROWS] += rows;
                local[MICRO_BATCHES]++;
                if (r.tokens() > 0) {
                    local[ROW_WEIGHTED_MEANS] += r.mean() * rows;
                    local[ROWS_WITH_TOKENS] += rows;
                }
            }
        }
        long stall = source.stallNanos() - stallBefore;
        pass++;
        double[] sum = totals.acrossRanks(local);
        return new EvalMetrics(
                step,
                sum[LOSS_SUM] / sum[TOKENS],
                sum[ROW_WEIGHTED_MEANS] / sum[ROWS_WITH_TOKENS],
                (long) sum[TOKENS],
                (long) sum[ROWS],
                (long) sum[MICRO_BATCHES],
                System.nanoTime() - start,
                stall);
    }

    @Override
    public void close() {
        source.close();
    }
}
