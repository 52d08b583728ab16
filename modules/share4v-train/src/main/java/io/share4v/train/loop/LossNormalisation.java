package io.share4v.train.loop;

/**
 * How the losses of a global batch's micro-batches are combined into the one loss whose gradient a step follows.
 */
public enum LossNormalisation {
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

    /** The name in a run's configuration. */
    public String configName() {
        return configName;
    }

    /** The value named {@code name} in a configuration; an unknown name is an error listing the known ones. */
    public static LossNormalisation named(String name) {
        for (LossNormalisation n : values()) {
            if (n.configName.equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "loss_normalisation = " + name + " is invalid: expected micro_batch_mean or global_token_mean");
    }
}
