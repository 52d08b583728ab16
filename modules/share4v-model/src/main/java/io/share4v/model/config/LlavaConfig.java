package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;
import io.share4v.data.image.AspectMode;
import java.util.Objects;

/**
 * A ShareGPT4V / LLaVA-1.5 model: the LLM, the vision tower, the projector and the {@code mm_*} keys of the
 * released {@code config.json}. {@code visionSelectLayer} indexes HF's {@code hidden_states}
 * tuple (entry 0 = embeddings after pre-LN; -2 = output of the second-to-last encoder layer);
 * {@code visionSelectFeature} is {@code patch} (drop CLS) or {@code cls_patch}; {@code imageAspectRatio} is how
 * the image processor treats non-square images. {@code useImPatchToken}
 * defaults to true when the key is absent, as in the reference's builder (it then adds {@code <im_patch>} to the
 * vocabulary); the released configs say false. Build one with {@link #builder()}; the record's constructor checks
 * every value either way.
 */
public record LlavaConfig(
        String modelType,
        LlamaConfig llm,
        ClipVisionConfig vision,
        ProjectorConfig projector,
        int visionSelectLayer,
        VisionSelectFeature visionSelectFeature,
        AspectMode imageAspectRatio,
        boolean useImStartEnd,
        boolean useImPatchToken,
        String visionTower) {
    public LlavaConfig {
        require(
                "share4v".equals(modelType) || "llava".equals(modelType) || "llava_llama".equals(modelType),
                "model_type",
                modelType,
                "share4v, llava or llava_llama");
        int entries = vision.numLayers() + 1;
        require(
                visionSelectLayer >= -entries && visionSelectLayer < entries,
                "mm_vision_select_layer",
                visionSelectLayer,
                "in [" + -entries + ", " + (entries - 1) + "] for " + vision.numLayers() + " layers");
        ConfigName.requirePresent(visionSelectFeature, VisionSelectFeature.class, "mm_vision_select_feature");
        ConfigName.requirePresent(imageAspectRatio, AspectMode.class, "image_aspect_ratio");
        require(
                projector.inFeatures() == vision.hiddenSize(),
                "mm_hidden_size",
                projector.inFeatures(),
                "the vision tower's hidden_size (" + vision.hiddenSize() + ")");
        require(
                projector.outFeatures() == llm.hiddenSize(),
                "hidden_size",
                llm.hiddenSize(),
                "the projector's output size (" + projector.outFeatures() + ")");
        require(!useImStartEnd, "mm_use_im_start_end", true, "false (the released models do not use it)");
    }

    /** A builder: every setting by name, defaulting to the released ShareGPT4V-7B {@code mm_*} settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** This config with {@code mm_vision_tower} = {@code tower} (where a checkpoint's tower lives). */
    public LlavaConfig withVisionTower(String tower) {
        return new LlavaConfig(
                modelType,
                llm,
                vision,
                projector,
                visionSelectLayer,
                visionSelectFeature,
                imageAspectRatio,
                useImStartEnd,
                useImPatchToken,
                tower);
    }

    /** Number of encoder layers whose output the selected hidden state depends on. */
    public int visionLayersUsed() {
        return visionSelectLayer >= 0 ? visionSelectLayer : vision.numLayers() + 1 + visionSelectLayer;
    }

    /** Image positions one {@code <image>} expands to (576 for ViT-L/14-336 with {@code patch}). */
    public int imageTokens() {
        return vision.numPatches() + (visionSelectFeature == VisionSelectFeature.CLS_PATCH ? 1 : 0);
    }

    /**
     * Named settings for a {@link LlavaConfig}. The LLM, vision tower, projector and {@code mm_vision_tower} have
     * no default; the rest default to the released ShareGPT4V-7B config: model_type share4v,
     * mm_vision_select_layer -2, patch features, pad aspect, no {@code <im_start>/<im_end>} or {@code <im_patch>}
     * tokens.
     */
    public static final class Builder {
        private String modelType = "share4v";
        private LlamaConfig llm;
        private ClipVisionConfig vision;
        private ProjectorConfig projector;
        private int visionSelectLayer = -2;
        private VisionSelectFeature visionSelectFeature = VisionSelectFeature.PATCH;
        private AspectMode imageAspectRatio = AspectMode.PAD;
        private boolean useImStartEnd;
        private boolean useImPatchToken;
        private String visionTower;

        private Builder() {}

        public Builder modelType(String v) {
            modelType = v;
            return this;
        }

        public Builder llm(LlamaConfig v) {
            llm = v;
            return this;
        }

        public Builder vision(ClipVisionConfig v) {
            vision = v;
            return this;
        }

        public Builder projector(ProjectorConfig v) {
            projector = v;
            return this;
        }

        public Builder visionSelectLayer(int v) {
            visionSelectLayer = v;
            return this;
        }

        public Builder visionSelectFeature(VisionSelectFeature v) {
            visionSelectFeature = v;
            return this;
        }

        public Builder imageAspectRatio(AspectMode v) {
            imageAspectRatio = v;
            return this;
        }

        public Builder useImStartEnd(boolean v) {
            useImStartEnd = v;
            return this;
        }

        public Builder useImPatchToken(boolean v) {
            useImPatchToken = v;
            return this;
        }

        /** {@code mm_vision_tower}: where the tower's weights and config come from (a path or a hub id). */
        public Builder visionTower(String v) {
            visionTower = v;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} naming the first invalid key. */
        public LlavaConfig build() {
            Objects.requireNonNull(llm, "LlavaConfig.Builder: llm is not set");
            Objects.requireNonNull(vision, "LlavaConfig.Builder: vision is not set");
            Objects.requireNonNull(projector, "LlavaConfig.Builder: projector is not set");
            return new LlavaConfig(
                    modelType,
                    llm,
                    vision,
                    projector,
                    visionSelectLayer,
                    visionSelectFeature,
                    imageAspectRatio,
                    useImStartEnd,
                    useImPatchToken,
                    visionTower);
        }
    }
}
