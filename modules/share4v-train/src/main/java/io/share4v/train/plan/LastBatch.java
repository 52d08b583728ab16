package io.share4v.train.plan;

import io.share4v.common.config.ConfigName;

/**
 * What an epoch does with its last rows when the row count is not a multiple of the global batch
 * ({@code batch.last_batch}); see {@link BatchPlan} for how each compares with the reference.
 */
public enum LastBatch implements ConfigName {
    /**
     * The epoch is padded to a whole number of global batches with its own first rows, repeated: every row is
     * seen at least once and the epoch has {@code ceil(N / G)} steps, as the reference has.
     */
    REPEAT("repeat"),
    /** The rows after the last whole global batch are skipped: {@code floor(N / G)} steps, nothing repeated. */
    DROP("drop");

    private final String configName;

    LastBatch(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
