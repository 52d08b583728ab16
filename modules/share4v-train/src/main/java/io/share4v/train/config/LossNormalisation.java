package io.share4v.train.config;

import io.share4v.common.config.ConfigName;

/** How the per-token losses of a global batch become the loss whose gradient is applied ({@code loss.normalisation}). */
public enum LossNormalisation implements ConfigName {
    /**
     * The reference: the token mean of each micro-batch, averaged over micro-batches and workers (a micro-batch
     * with few supervised tokens weighs as much as one with many).
     */
    MICRO_BATCH_MEAN("micro_batch_mean"),
    /** The sum over the global batch divided by its supervised tokens: every token weighs the same. */
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
