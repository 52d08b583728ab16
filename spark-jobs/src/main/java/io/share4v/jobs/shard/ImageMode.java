package io.share4v.jobs.shard;

import io.share4v.common.config.ConfigName;

/** The shard job's {@code image_mode}: what a shard row holds of a record's image. */
public enum ImageMode implements ConfigName {
    /** The original file bytes in the {@code image} column: shards are self-contained. */
    BYTES("bytes"),
    /** Only {@code image_path}; training reads the image from the shared filesystem. */
    PATH("path");

    private final String configName;

    ImageMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
