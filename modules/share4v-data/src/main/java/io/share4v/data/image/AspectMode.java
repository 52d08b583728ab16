package io.share4v.data.image;

import io.share4v.common.config.ConfigName;

/**
 * ShareGPT4V's {@code image_aspect_ratio}: what happens before the CLIP processor. Spelled {@code pad} and
 * {@code square} in manifests, {@code config.json} and on the command line.
 */
public enum AspectMode implements ConfigName {
    /** Stage 2 and most evals: paste onto a square of the CLIP mean colour, then resize (the crop is a no-op). */
    PAD("pad"),
    /** Stage 1 and some evals ({@code 'square'} is the dataclass default): shortest-edge resize + centre crop. */
    SQUARE("square");

    private final String configName;

    AspectMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** Parses the reference's spelling ({@code pad}, {@code square}); the error names the key {@code aspect}. */
    public static AspectMode parse(String s) {
        return ConfigName.parse(AspectMode.class, "aspect", s);
    }
}
