package io.share4v.train.config;

import io.share4v.common.config.ConfigName;

/** The training stage a run is ({@code stage}): it decides what trains and where the projector comes from. */
public enum Stage implements ConfigName {
    /**
     * Stage 1 (the reference's {@code --tune_entire_model}): the LLM, the projector (initialised from LLaVA-1.5's
     * {@code mm_projector.bin}) and the vision layers from {@code tune_vit_from_layer} up.
     */
    PRETRAIN("pretrain"),
    /** Stage 2: the LLM and the projector, both from the stage-1 checkpoint; the vision tower is frozen. */
    FINETUNE("finetune");

    private final String configName;

    Stage(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
