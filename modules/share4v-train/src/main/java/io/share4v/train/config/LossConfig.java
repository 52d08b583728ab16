package io.share4v.train.config;

import io.share4v.common.config.ConfigName;

/** The loss ({@code loss.*}). */
public record LossConfig(LossNormalisation normalisation) {
    public LossConfig {
        ConfigName.requirePresent(normalisation, LossNormalisation.class, "loss.normalisation");
    }
}
