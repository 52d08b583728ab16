package io.share4v.model.config;

import io.share4v.common.config.ConfigName;

/** {@code mm_vision_select_feature}: which positions of the selected CLIP hidden state feed the projector. */
public enum VisionSelectFeature implements ConfigName {
    /** Drop the CLS position: 576 image tokens for ViT-L/14-336 (the reference's default and LLaVA-1.5's). */
    PATCH("patch"),
    /** Keep the CLS position too: one more image token. */
    CLS_PATCH("cls_patch");

    private final String configName;

    VisionSelectFeature(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
