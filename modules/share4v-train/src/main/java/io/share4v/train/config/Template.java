package io.share4v.train.config;

import io.share4v.common.config.ConfigName;

/**
 * The conversation template the shards were tokenized with ({@code data.template}): the reference's
 * {@code --version}. Tokenization happens in the shard job; the run only checks that the shards agree.
 */
public enum Template implements ConfigName {
    /** Stage 1: the caption alone is supervised and ends with a newline, not EOS. */
    PLAIN("plain"),
    /** Stage 2: Vicuna v1 conversations, the assistant turns supervised. */
    V1("v1");

    private final String configName;

    Template(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
