package io.share4v.train.loop;

/**
 * What one optimizer step of one rank measured. Loss, tokens, samples and the gradient norm are the global batch's
 * (equal on every rank); times are this rank's.
 *
 * @param step the optimizer step (0-based)
 * @param loss the loss as the reference logs it: with {@link LossNormalisation#MICRO_BATCH_MEAN} the mean over
 *     every worker's micro-batches of each micro-batch's token mean (micro-batches without a supervised token,
 *     whose mean is undefined, are left out); with {@link LossNormalisation#GLOBAL_TOKEN_MEAN} the token mean over
 *     the global batch
 * @param supervisedTokens supervised (loss) tokens of the global batch
 * @param samples samples of the global batch
 * @param lr the learning rate of this step's update
 * @param gradNorm the global L2 norm of the summed gradient, before any clipping
 * @param clipped whether clipping scaled the gradient down
 * @param stepNanos wall time of the whole step on this rank
 * @param dataStallNanos time this rank waited for its micro-batches (as the batch source reports it)
 * @param communicationNanos time this rank's step thread spent on communication: its collective calls (waiting for
 *     slower peers included) and waiting for gradient buckets still being reduced after the backward; the
 *     communication that overlap did not hide
 * @param overlappedCommunicationNanos reduce-scatter time of the communication thread that ran while this rank was
 *     still computing its backward, hidden behind it (0 without overlap); with {@code communicationNanos}, the
 *     rank's whole communication time
 * @param computeNanos time in forward, backward, clipping and the optimizer update
 */
public record StepMetrics(
        long step,
        double loss,
        long supervisedTokens,
        long samples,
        double lr,
        double gradNorm,
        boolean clipped,
        long stepNanos,
        long dataStallNanos,
        long communicationNanos,
        long overlappedCommunicationNanos,
        long computeNanos) {
    /** Global samples per second of this step's wall time. */
    public double samplesPerSecond() {
        return samples * 1e9 / Math.max(1, stepNanos);
    }

    /** Global supervised tokens per second of this step's wall time. */
    public double tokensPerSecond() {
        return supervisedTokens * 1e9 / Math.max(1, stepNanos);
    }
}
