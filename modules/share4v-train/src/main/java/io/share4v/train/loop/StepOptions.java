package io.share4v.train.loop;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.optim.AdamW;
import io.share4v.train.config.LossNormalisation;

/**
 * What a rank's optimizer step does besides the data and the schedule.
 *
 * @param adamw betas, epsilon and weight decay (its learning rate is unused: the schedule gives each step's)
 * @param loss how micro-batch losses combine ({@link LossNormalisation#MICRO_BATCH_MEAN} as the reference)
 * @param maxGradNorm clip the gradient to this global norm; 0 = no clipping (the reference applies none)
 * @param bucketBytes the gradients are reduced in buckets of about this many bytes, from the top of the buffer down
 *     ({@link io.share4v.train.collective.BucketPlan}); the optimizer shard depends on it
 * @param overlap reduce the buckets during the last micro-batch's backward (bit-identical to after it)
 */
public record StepOptions(
        AdamW.Config adamw, LossNormalisation loss, double maxGradNorm, long bucketBytes, boolean overlap) {
    /** DDP's default bucket: 25 MiB. */
    public static final long DEFAULT_BUCKET_BYTES = 25L << 20;

    public StepOptions {
        require(adamw != null, "adamw", adamw, "betas, epsilon and weight decay");
        require(loss != null, "loss_normalisation", loss, "micro_batch_mean or global_token_mean");
        require(
                maxGradNorm >= 0 && Double.isFinite(maxGradNorm),
                "max_grad_norm",
                maxGradNorm,
                "a finite value >= 0 (0 = no clipping)");
        require(bucketBytes >= Float.BYTES, "bucket_bytes", bucketBytes, ">= 4 (one float)");
    }

    /**
     * The reference's: AdamW betas (0.9, 0.999), epsilon 1e-8, weight decay 0; micro-batch mean; no clipping; with
     * 25 MiB buckets reduced during the backward.
     */
    public static StepOptions reference() {
        return new StepOptions(
                new AdamW.Config(0, 0.9, 0.999, 1e-8, 0),
                LossNormalisation.MICRO_BATCH_MEAN,
                0,
                DEFAULT_BUCKET_BYTES,
                true);
    }

    public StepOptions withLoss(LossNormalisation l) {
        return new StepOptions(adamw, l, maxGradNorm, bucketBytes, overlap);
    }

    public StepOptions withMaxGradNorm(double max) {
        return new StepOptions(adamw, loss, max, bucketBytes, overlap);
    }

    /** Buckets of {@code bytes}, reduced during the backward ({@code overlap}) or after it. */
    public StepOptions withBuckets(long bytes, boolean overlapped) {
        return new StepOptions(adamw, loss, maxGradNorm, bytes, overlapped);
    }
}
