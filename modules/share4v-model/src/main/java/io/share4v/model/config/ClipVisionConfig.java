package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.positive;
import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.ops.Activation;

/**
 * HF {@code CLIPVisionConfig} (the {@code vision_config} of a {@code CLIPModel}, or the flat config of a
 * {@code CLIPVisionModel}). ViT-L/14-336: hidden 1024, 24 layers, 16 heads, MLP 4096, image 336, patch 14,
 * quick_gelu, eps 1e-5. Build one with {@link #builder()}; the record's constructor checks every value either way.
 */
public record ClipVisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int imageSize,
        int patchSize,
        int numChannels,
        Activation hiddenAct,
        double layerNormEps) {
    public ClipVisionConfig {
        positive("vision.hidden_size", hiddenSize);
        positive("vision.intermediate_size", intermediateSize);
        positive("vision.num_hidden_layers", numLayers);
        positive("vision.num_attention_heads", numHeads);
        positive("vision.patch_size", patchSize);
        require(numChannels == 3, "vision.num_channels", numChannels, "3");
        require(
                hiddenSize % numHeads == 0,
                "vision.hidden_size",
                hiddenSize,
                "a multiple of num_attention_heads (" + numHeads + ")");
        require(
                imageSize >= patchSize && imageSize % patchSize == 0,
                "vision.image_size",
                imageSize,
                "a positive multiple of patch_size (" + patchSize + ")");
        require(layerNormEps > 0, "vision.layer_norm_eps", layerNormEps, "> 0");
    }

    /** A builder: every setting by name, with defaults for the channels, activation and epsilon. */
    public static Builder builder() {
        return new Builder();
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

    /**
     * Named settings for a {@link ClipVisionConfig}. The sizes have no default (left unset they are 0 and fail the
     * record's checks); channels (3), activation (quick_gelu) and layer_norm_eps (1e-5) default to every CLIP
     * tower LLaVA uses.
     */
    public static final class Builder {
        private int hiddenSize;
        private int intermediateSize;
        private int numLayers;
        private int numHeads;
        private int imageSize;
        private int patchSize;
        private int numChannels = 3;
        private Activation hiddenAct = Activation.QUICK_GELU;
        private double layerNormEps = 1e-5;

        private Builder() {}

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder intermediateSize(int v) {
            intermediateSize = v;
            return this;
        }

        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }

        public Builder numHeads(int v) {
            numHeads = v;
            return this;
        }

        public Builder imageSize(int v) {
            imageSize = v;
            return this;
        }

        public Builder patchSize(int v) {
            patchSize = v;
            return this;
        }

        public Builder numChannels(int v) {
            numChannels = v;
            return this;
        }

        public Builder hiddenAct(Activation v) {
            hiddenAct = v;
            return this;
        }

        public Builder layerNormEps(double v) {
            layerNormEps = v;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} naming the first invalid key. */
        public ClipVisionConfig build() {
            return new ClipVisionConfig(
                    hiddenSize,
                    intermediateSize,
                    numLayers,
                    numHeads,
                    imageSize,
                    patchSize,
                    numChannels,
                    hiddenAct,
                    layerNormEps);
        }
    }
}
