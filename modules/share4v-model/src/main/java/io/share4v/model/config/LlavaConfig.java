package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;
import io.share4v.data.image.AspectMode;

/**
 * A ShareGPT4V / LLaVA-1.5 model: the LLM, the vision tower, the projector and the {@code mm_*} keys of the
 * released {@code config.json} (spec §5.4). {@code visionSelectLayer} indexes HF's {@code hidden_states}
 * tuple (entry 0 = embeddings after pre-LN; -2 = output of the second-to-last encoder layer);
 * {@code visionSelectFeature} is {@code patch} (drop CLS) or {@code cls_patch}; {@code imageAspectRatio} is how
 * the image processor treats non-square images. {@code useImPatchToken}
 * defaults to true when the key is absent, as in the reference's builder (it then adds {@code <im_patch>} to the
 * vocabulary); the released configs say false.
 */
public record LlavaConfig(String modelType, LlamaConfig llm, ClipVisionConfig vision, ProjectorConfig projector,
                          int visionSelectLayer, VisionSelectFeature visionSelectFeature, AspectMode imageAspectRatio,
                          boolean useImStartEnd, boolean useImPatchToken, String visionTower) {
    public LlavaConfig {
        require("share4v".equals(modelType) || "llava".equals(modelType) || "llava_llama".equals(modelType),
                "model_type", modelType, "share4v, llava or llava_llama");
        int entries = vision.numLayers() + 1;
        require(visionSelectLayer >= -entries && visionSelectLayer < entries, "mm_vision_select_layer",
                visionSelectLayer, "in [" + -entries + ", " + (entries - 1) + "] for " + vision.numLayers() + " layers");
        ConfigName.requirePresent(visionSelectFeature, VisionSelectFeature.class, "mm_vision_select_feature");
        ConfigName.requirePresent(imageAspectRatio, AspectMode.class, "image_aspect_ratio");
        require(projector.inFeatures() == vision.hiddenSize(), "mm_hidden_size", projector.inFeatures(),
                "the vision tower's hidden_size (" + vision.hiddenSize() + ")");
        require(projector.outFeatures() == llm.hiddenSize(), "hidden_size", llm.hiddenSize(),
                "the projector's output size (" + projector.outFeatures() + ")");
        require(!useImStartEnd, "mm_use_im_start_end", true, "false (the released models do not use it)");
    }

    /** Number of encoder layers whose output the selected hidden state depends on. */
    public int visionLayersUsed() {
        return visionSelectLayer >= 0 ? visionSelectLayer : vision.numLayers() + 1 + visionSelectLayer;
    }

    /** Image positions one {@code <image>} expands to (576 for ViT-L/14-336 with {@code patch}). */
    public int imageTokens() {
        return vision.numPatches() + (visionSelectFeature == VisionSelectFeature.CLS_PATCH ? 1 : 0);
    }
}
