package io.share4v.train.metrics;

import java.util.Collection;

/**
 * One optimizer step's line of {@code metrics.jsonl}, merged by the driver from every rank's report (keys in
 * snake_case, in this order). Loss, lr, grad norm, tokens and samples are the global batch's (from rank 0); times are
 * in seconds, the maximum and the mean over the ranks that reported, so a straggler or a data-starved rank shows as
 * a max well above the mean.
 *
 * @param step the optimizer step (0-based)
 * @param loss the training loss (the string {@code "NaN"} for a step without a supervised token)
 * @param lr the learning rate of the step's update
 * @param gradNorm the global L2 norm of the summed gradient, before any clipping
 * @param clipped whether clipping scaled the gradient down
 * @param tokens supervised (loss) tokens of the global batch
 * @param samples samples of the global batch
 * @param samplesPerS samples / {@code step_s}
 * @param tokensPerS tokens / {@code step_s}
 * @param stepS wall time of the step on the slowest rank
 * @param dataStallMaxS time a rank waited for its micro-batches, maximum over the ranks
 * @param dataStallMeanS the same, mean over the ranks
 * @param commMaxS time a rank's step waited for communication (collective calls, slower peers and gradient buckets
 *     still in flight after the backward included), maximum
 * @param commMeanS the same, mean
 * @param commHiddenMaxS reduce-scatter time that ran behind the backward on the rank's communication thread
 *     ({@code collective.overlap}; 0 without it), maximum
 * @param commHiddenMeanS the same, mean
 * @param computeMaxS time a rank spent in forward, backward, clipping and the update, maximum
 * @param computeMeanS the same, mean
 * @param ranks ranks whose times are in the line (fewer than the workers when a rank's reports were lost)
 */
public record StepLine(
        long step,
        double loss,
        double lr,
        double gradNorm,
        boolean clipped,
        long tokens,
        long samples,
        double samplesPerS,
        double tokensPerS,
        double stepS,
        double dataStallMaxS,
        double dataStallMeanS,
        double commMaxS,
        double commMeanS,
        double commHiddenMaxS,
        double commHiddenMeanS,
        double computeMaxS,
        double computeMeanS,
        int ranks) {

    /** The line of step {@code step}: {@code global} from rank 0, {@code times} from each rank that reported. */
    static StepLine merge(long step, ProgressEvent.Global global, Collection<ProgressEvent.RankTimes> times) {
        double stepS = 0;
        double stallMax = 0;
        double stallSum = 0;
        double commMax = 0;
        double commSum = 0;
        double hiddenMax = 0;
        double hiddenSum = 0;
        double computeMax = 0;
        double computeSum = 0;
        for (ProgressEvent.RankTimes t : times) {
            stepS = Math.max(stepS, t.stepS());
            stallMax = Math.max(stallMax, t.dataStallS());
            stallSum += t.dataStallS();
            commMax = Math.max(commMax, t.commS());
            commSum += t.commS();
            hiddenMax = Math.max(hiddenMax, t.commHiddenS());
            hiddenSum += t.commHiddenS();
            computeMax = Math.max(computeMax, t.computeS());
            computeSum += t.computeS();
        }
        int n = Math.max(1, times.size());
        return new StepLine(
                step,
                global.loss(),
                global.lr(),
                global.gradNorm(),
                global.clipped(),
                global.tokens(),
                global.samples(),
                stepS > 0 ? global.samples() / stepS : 0,
                stepS > 0 ? global.tokens() / stepS : 0,
                stepS,
                stallMax,
                stallSum / n,
                commMax,
                commSum / n,
                hiddenMax,
                hiddenSum / n,
                computeMax,
                computeSum / n,
                times.size());
    }
}
