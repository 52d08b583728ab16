package io.share4v.train.loop;

import io.share4v.model.llava.Batch;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.SplicePlan;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.train.collective.Collective;
import io.share4v.train.collective.Partition;
import io.share4v.train.collective.SmallSum;
import io.share4v.train.config.LossNormalisation;
import io.share4v.train.data.BatchSource;
import io.share4v.train.optim.GradientClipping;
import io.share4v.train.optim.ShardedAdamW;
import io.share4v.train.schedule.LrSchedule;
import java.util.List;

/**
 * One rank's synchronous data-parallel optimizer step (see {@link #step}): every rank holds the whole model,
 * trains on its own micro-batches, and the ranks keep identical parameters by summing gradients with a
 * reduce-scatter, each updating its own shard ({@link ShardedAdamW}), and all-gathering the parameters.
 *
 * <p>The partition covers only the model's trainable ranges, so frozen parameters are never sent and never change.
 * Not thread-safe: one thread per rank calls {@link #step} with increasing step numbers.
 */
public final class RankStep {
    /** Slots of the small per-step sum across ranks. */
    private static final int MEAN_LOSSES = 0;

    private static final int MICRO_BATCHES_WITH_TOKENS = 1;
    private static final int LOSS_SUM = 2;
    private static final int TOKENS = 3;
    private static final int SAMPLES = 4;
    private static final int GRAD_SQUARES = 5;
    private static final int SLOTS = 6;

    private final LlavaModel model;
    private final Collective collective;
    private final BatchSource source;
    private final LrSchedule schedule;
    private final StepOptions options;
    private final Partition partition;
    private final List<Range> shard;
    private final ShardedAdamW optimizer;
    private final SmallSum totals;
    private final SmallSum tokenCount;
    private long communicationNanos;
    private long computeNanos;

    public RankStep(
            LlavaModel model, Collective collective, BatchSource source, LrSchedule schedule, StepOptions options) {
        this.model = model;
        this.collective = collective;
        this.source = source;
        this.schedule = schedule;
        this.options = options;
        this.partition =
                Partition.of(model.layout().totalSize(), model.trainable().ranges(model.layout()), collective.world());
        this.shard = partition.shard(collective.rank());
        this.optimizer = ShardedAdamW.of(options.adamw(), partition, collective.rank(), model.backend());
        this.totals = new SmallSum(model.backend(), collective, SLOTS);
        this.tokenCount = new SmallSum(model.backend(), collective, 1);
    }

    /**
     * Optimizer step {@code step}: zero the gradients; forward and backward of each micro-batch (gradients
     * accumulate, scaled for the {@link LossNormalisation}); reduce-scatter the gradients (this rank's shard now
     * holds their sum over ranks); the global norm and optional clipping; AdamW on this rank's shard with the
     * schedule's learning rate; all-gather the parameters. Any failure closes this rank's collective (so the peers
     * fail at once instead of waiting for their timeout) and is thrown as a {@link StepFailure}.
     */
    public StepMetrics step(long step) {
        try {
            return run(step);
        } catch (RuntimeException e) {
            collective.close();
            throw new StepFailure(step, collective.rank(), collective.world(), e);
        }
    }

    private StepMetrics run(long step) {
        long start = System.nanoTime();
        communicationNanos = 0;
        computeNanos = 0;
        long stallBefore = source.stallNanos();
        List<Batch> micro = source.microBatches(step);
        long dataStall = source.stallNanos() - stallBefore;
        boolean global = options.loss() == LossNormalisation.GLOBAL_TOKEN_MEAN;
        double scale = global ? 1.0 : 1.0 / ((double) micro.size() * collective.world());
        double normaliser = global ? globalSupervisedTokens(micro) : Double.NaN;
        double[] local = forwardBackward(micro, scale, normaliser);
        communicate(() -> collective.reduceScatter(model.grads(), partition));
        local[GRAD_SQUARES] = compute(() -> GradientClipping.sumOfSquares(model.grads(), shard));
        double[] sum = communicate(() -> totals.acrossRanks(local));
        double norm = Math.sqrt(sum[GRAD_SQUARES]);
        double clip = options.maxGradNorm() > 0 ? GradientClipping.coefficient(norm, options.maxGradNorm()) : 1.0;
        if (clip < 1.0) {
            compute(() -> GradientClipping.scale(model.grads(), shard, clip));
        }
        double lr = schedule.lr(step);
        compute(() -> optimizer.step(model.params(), model.grads(), lr));
        communicate(() -> collective.allGather(model.params(), partition));
        double loss = global ? sum[LOSS_SUM] / sum[TOKENS] : sum[MEAN_LOSSES] / sum[MICRO_BATCHES_WITH_TOKENS];
        return new StepMetrics(
                step,
                loss,
                (long) sum[TOKENS],
                (long) sum[SAMPLES],
                lr,
                norm,
                clip < 1.0,
                System.nanoTime() - start,
                dataStall,
                communicationNanos,
                computeNanos);
    }

    /**
     * Zeroes the gradients, then runs forward and backward of each micro-batch in order (their gradients add up);
     * returns this rank's loss and size sums (slots as above).
     */
    private double[] forwardBackward(List<Batch> micro, double scale, double normaliser) {
        return compute(() -> {
            model.zeroGrad();
            double[] local = new double[SLOTS];
            for (Batch b : micro) {
                CausalLmLoss.Result r = model.trainStep(b, scale, normaliser);
                if (r.tokens() > 0) {
                    local[MEAN_LOSSES] += r.mean();
                    local[MICRO_BATCHES_WITH_TOKENS]++;
                }
                local[LOSS_SUM] += r.sum();
                local[TOKENS] += r.tokens();
                local[SAMPLES] += b.inputIds().length;
            }
            return local;
        });
    }

    /** The supervised tokens of the whole global batch: this rank's, counted from the labels, summed over ranks. */
    private double globalSupervisedTokens(List<Batch> micro) {
        long tokens = 0;
        for (Batch b : micro) {
            tokens += SplicePlan.of(
                            b.inputIds(),
                            b.labels(),
                            model.config().imageTokens(),
                            model.config().llm().padTokenId(),
                            model.config().llm().vocabSize())
                    .supervisedTokens;
        }
        double[] mine = {tokens};
        return communicate(() -> tokenCount.acrossRanks(mine))[0];
    }

    private <T> T compute(Timed<T> work) {
        long t0 = System.nanoTime();
        T result = work.run();
        computeNanos += System.nanoTime() - t0;
        return result;
    }

    private void compute(Runnable work) {
        compute(() -> {
            work.run();
            return null;
        });
    }

    private <T> T communicate(Timed<T> work) {
        long t0 = System.nanoTime();
        T result = work.run();
        communicationNanos += System.nanoTime() - t0;
        return result;
    }

    private void communicate(Runnable work) {
        communicate(() -> {
            work.run();
            return null;
        });
    }

    @FunctionalInterface
    private interface Timed<T> {
        T run();
    }

    public LlavaModel model() {
        return model;
    }

    /** How the trainable elements are split into the ranks' shards. */
    public Partition partition() {
        return partition;
    }

    /** This rank's optimizer (its moments and step count are this rank's part of a checkpoint). */
    public ShardedAdamW optimizer() {
        return optimizer;
    }
}
