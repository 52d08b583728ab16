package io.share4v.jobs.shard;

import io.share4v.common.config.ConfigName;

/** The shard job's {@code ordering}: the global order rows are written in, which training then reads. */
public enum Ordering implements ConfigName {
    /** A seeded random permutation of every written row. */
    SHUFFLE("shuffle"),
    /** The reference's {@code group_by_modality_length} sampler, for {@code world_size x per_device_batch}. */
    GROUP_BY_MODALITY_LENGTH("group_by_modality_length");

    private final String configName;

    Ordering(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
