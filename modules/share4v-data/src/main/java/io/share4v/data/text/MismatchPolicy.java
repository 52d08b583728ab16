package io.share4v.data.text;

import io.share4v.common.config.ConfigName;

/**
 * What to do when the reference's masking arithmetic disagrees with the token count
 * ({@code WARNING: tokenization mismatch: X vs. Y. (ignored)}). Spelled {@code keep_ignored} and
 * {@code reject} in the shard job's {@code mismatch_policy}.
 */
public enum MismatchPolicy implements ConfigName {
    /** As the reference: keep the sample with every label set to -100 (it costs compute, adds no loss); count it. */
    KEEP_IGNORED("keep_ignored"),
    /** Reject the record with {@link io.share4v.data.record.RejectReason#TOKENIZATION_MISMATCH}. */
    REJECT("reject");

    private final String configName;

    MismatchPolicy(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
