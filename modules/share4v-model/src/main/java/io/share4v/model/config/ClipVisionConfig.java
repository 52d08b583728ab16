package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.positive;
import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.ops.Activation;

/**
 * HF {@code CLIPVisionConfig} (the {@code vision_config} of a {@code CLIPModel}, or the flat config of a
 * {@code CLIPVisionModel}). ViT-L/14-336: hidden 1024, 24 layers, 16 heads, MLP 4096, image 336, patch 14,
 * quick_gelu, eps 1e-5.
 */
public record ClipVisionConfig(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int imageSize,
                               int patchSize, int numChannels, Activation hiddenAct, double layerNormEps) {
    public ClipVisionConfig {
        positive("vision.hidden_size", hiddenSize);
        positive("vision.intermediate_size", intermediateSize);
        positive("vision.num_hidden_layers", numLayers);
        positive("vision.num_attention_heads", numHeads);
        positive("vision.patch_size", patchSize);
        require(numChannels == 3, "vision.num_channels", numChannels, "3");
        require(hiddenSize % numHeads == 0, "vision.hidden_size", hiddenSize,
                "a multiple of num_attention_heads (" + numHeads + ")");
        require(imageSize >= patchSize && imageSize % patchSize == 0, "vision.image_size", imageSize,
                "a positive multiple of patch_size (" + patchSize + ")");
        require(layerNormEps > 0, "vision.layer_norm_eps", layerNormEps, "> 0");
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Patches per image side. */
    public int grid() {
        return imageSize / patchSize;
    }

    public int numPatches() {
        return grid() * grid();
    }

    /** Positions in the encoder: patches + the class token. */
    public int seqLen() {
        return numPatches() + 1;
    }
}
