package io.share4v.train.loop;

import io.share4v.model.llava.Batch;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.GradientsReady;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.SplicePlan;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.train.collective.BucketPlan;
import io.share4v.train.collective.Collective;
import io.share4v.train.collective.Partition;
import io.share4v.train.collective.SmallSum;
import io.share4v.train.config.LossNormalisation;
import io.share4v.train.data.BatchSource;
import io.share4v.train.optim.GradientClipping;
import io.share4v.train.optim.ShardedAdamW;
import io.share4v.train.schedule.LrSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One rank's synchronous data-parallel optimizer step (see {@link #step}): every rank holds the whole model,
 * trains on its own micro-batches, and the ranks keep identical parameters by summing gradients with a
 * reduce-scatter, each updating its own shard ({@link ShardedAdamW}), and all-gathering the parameters.
 *
 * <p>The gradients are reduced in buckets ({@link BucketPlan}, {@link StepOptions#bucketBytes}) over the model's
 * trainable ranges only, so frozen parameters are never sent and never change. With {@link StepOptions#overlap}
 * the last micro-batch's backward tells this step as its gradients become final ({@link GradientsReady}), and each
 * bucket whose elements are all final is reduce-scattered at once on this rank's communication thread while the
 * backward computes the buckets below it; the step then waits for the rest. Without overlap the buckets are
 * reduced one after the other after the backward. Either way every bucket's sum is the same function of the
 * ranks' gradients, so the two give bit-identical results. The collective has one caller at a time: the
 * communication thread while buckets are in flight, this rank's step thread otherwise.
 *
 * <p>Not thread-safe: one thread per rank calls {@link #step} with increasing step numbers; {@link #close} stops
 * the communication thread.
 */
public final class RankStep implements AutoCloseable {
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
    private final BucketPlan buckets;
    private final List<Range> shard;
    private final ShardedAdamW optimizer;
    private final SmallSum totals;
    private final SmallSum tokenCount;
    /** Runs the buckets' reduce-scatters during the backward, in bucket order; null without overlap. */
    private final ExecutorService communication;
    /** This step's buckets handed to the communication thread, in order; each yields its time in nanoseconds. */
    private final List<Future<Long>> inFlight = new ArrayList<>();
    /** Buckets of {@link #inFlight} known to have finished. */
    private int finished;

    private long communicationNanos;
    private long overlappedCommunicationNanos;
    private long computeNanos;

    public RankStep(
            LlavaModel model, Collective collective, BatchSource source, LrSchedule schedule, StepOptions options) {
        this.model = model;
        this.collective = collective;
        this.source = source;
        this.schedule = schedule;
        this.options = options;
        this.buckets = BucketPlan.of(
                model.layout().totalSize(),
                model.trainable().ranges(model.layout()),
                collective.world(),
                options.bucketBytes() / model.grads().dtype().bytes());
        this.shard = buckets.shard(collective.rank());
        this.optimizer = ShardedAdamW.of(options.adamw(), buckets, collective.rank(), model.backend());
        this.totals = new SmallSum(model.backend(), collective, SLOTS);
        this.tokenCount = new SmallSum(model.backend(), collective, 1);
        this.communication = options.overlap() && collective.world() > 1
                ? Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "rank-" + collective.rank() + "-gradient-buckets");
                    t.setDaemon(true);
                    return t;
                })
                : null;
    }

    /**
     * Optimizer step {@code step}: zero the gradients; forward and backward of each micro-batch (gradients
     * accumulate, scaled for the {@link LossNormalisation}); reduce-scatter the gradients bucket by bucket (during
     * the last backward with overlap; this rank's shard now holds their sum over ranks); the global norm and
     * optional clipping; AdamW on this rank's shard with the schedule's learning rate; all-gather the parameters.
     * Any failure, on this thread or the communication thread, closes this rank's collective (so the peers fail
     * at once instead of waiting for their timeout) and is thrown as a {@link StepFailure}.
     */
    public StepMetrics step(long step) {
        try {
            return run(step);
        } catch (RuntimeException e) {
            collective.close();
            inFlight.forEach(f -> f.cancel(false));
            throw new StepFailure(step, collective.rank(), collective.world(), e);
        }
    }

    private StepMetrics run(long step) {
        long start = System.nanoTime();
        communicationNanos = 0;
        overlappedCommunicationNanos = 0;
        computeNanos = 0;
        inFlight.clear();
        finished = 0;
        long stallBefore = source.stallNanos();
        List<Batch> micro = source.microBatches(step);
        long dataStall = source.stallNanos() - stallBefore;
        boolean global = options.loss() == LossNormalisation.GLOBAL_TOKEN_MEAN;
        double scale = global ? 1.0 : 1.0 / ((double) micro.size() * collective.world());
        double normaliser = global ? globalSupervisedTokens(micro) : Double.NaN;
        double[] local = forwardBackward(micro, scale, normaliser);
        reduceScatterTheRest();
        local[GRAD_SQUARES] = compute(() -> GradientClipping.sumOfSquares(model.grads(), shard));
        double[] sum = communicate(() -> totals.acrossRanks(local));
        double norm = Math.sqrt(sum[GRAD_SQUARES]);
        double clip = options.maxGradNorm() > 0 ? GradientClipping.coefficient(norm, options.maxGradNorm()) : 1.0;
        if (clip < 1.0) {
            compute(() -> GradientClipping.scale(model.grads(), shard, clip));
        }
        double lr = schedule.lr(step);
        compute(() -> optimizer.step(model.params(), model.grads(), lr));
        communicate(() -> buckets.buckets().forEach(b -> collective.allGather(model.params(), b)));
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
                overlappedCommunicationNanos,
                computeNanos);
    }

    /**
     * Zeroes the gradients, then runs forward and backward of each micro-batch in order (their gradients add up;
     * with overlap the last backward hands finished buckets to the communication thread); returns this rank's loss
     * and size sums (slots as above).
     */
    private double[] forwardBackward(List<Batch> micro, double scale, double normaliser) {
        return compute(() -> {
            model.zeroGrad();
            double[] local = new double[SLOTS];
            for (int i = 0; i < micro.size(); i++) {
                Batch b = micro.get(i);
                GradientsReady ready = communication != null && i == micro.size() - 1 ? this::handOver : null;
                CausalLmLoss.Result r = model.trainStep(b, scale, normaliser, ready);
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

    /**
     * The backward's mark: hands every bucket lying wholly at or above {@code finalFrom} to the communication
     * thread, in bucket order, and fails the backward at once when a bucket already failed.
     */
    private void handOver(long finalFrom) {
        int next = inFlight.size();
        while (next < buckets.buckets().size() && buckets.lowestElement(next) >= finalFrom) {
            Partition bucket = buckets.buckets().get(next++);
            inFlight.add(communication.submit(() -> {
                long t0 = System.nanoTime();
                collective.reduceScatter(model.grads(), bucket);
                return System.nanoTime() - t0;
            }));
        }
        while (finished < inFlight.size() && inFlight.get(finished).isDone()) {
            overlappedCommunicationNanos += outcome(inFlight.get(finished++));
        }
    }

    /**
     * After the backward: without overlap, reduce-scatters every bucket here; with it, hands over what the
     * backward did not (nothing, as it ends with mark 0) and waits for the communication thread. The wait is
     * exposed communication; the rest of the communication thread's time ran behind the backward.
     */
    private void reduceScatterTheRest() {
        if (communication == null) {
            communicate(() -> buckets.buckets().forEach(b -> collective.reduceScatter(model.grads(), b)));
            return;
        }
        handOver(0);
        long t0 = System.nanoTime();
        while (finished < inFlight.size()) {
            overlappedCommunicationNanos += outcome(inFlight.get(finished++));
        }
        long waited = System.nanoTime() - t0;
        communicationNanos += waited;
        overlappedCommunicationNanos = Math.max(0, overlappedCommunicationNanos - waited);
    }

    /** A bucket's reduce-scatter time, once it is done; its failure (e.g. a dead peer) is thrown here. */
    private static long outcome(Future<Long> bucket) {
        try {
            return bucket.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a gradient bucket's reduce-scatter failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gradient buckets", e);
        }
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

    /** The gradient buckets, and the ranks' shards (each rank's parts of every bucket). */
    public BucketPlan buckets() {
        return buckets;
    }

    /** This rank's optimizer (its moments and step count are this rank's part of a checkpoint). */
    public ShardedAdamW optimizer() {
        return optimizer;
    }

    /** Stops the communication thread (a bucket still in flight fails, as after a failed step). */
    @Override
    public void close() {
        if (communication != null) {
            communication.shutdownNow();
        }
    }
}
