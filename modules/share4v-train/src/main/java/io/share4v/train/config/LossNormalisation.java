package io.share4v.train.config;

import io.share4v.common.config.ConfigName;

/** How the per-token losses of a global batch become the loss whose gradient is applied ({@code loss.normalisation}). */
public enum LossNormalisation implements ConfigName {
    /**
     * The reference's: each micro-batch's loss is the mean over its own supervised tokens, and the step's loss is
     * the mean of those over the micro-batches of every worker (the gradient is scaled by
     * {@code 1 / (accumulation * world)}). A token of a short micro-batch therefore weighs more than one of a long
     * micro-batch.
     */
    MICRO_BATCH_MEAN("micro_batch_mean"),
    /**
     * The mean over every supervised token of the global batch: each micro-batch's summed loss is divided by the
     * global batch's supervised tokens (counted on every rank and summed across ranks before the backward), so every
     * token weighs the same whatever micro-batch it is in.
     */
    GLOBAL_TOKEN_MEAN("global_token_mean");

    private final String configName;

    LossNormalisation(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
