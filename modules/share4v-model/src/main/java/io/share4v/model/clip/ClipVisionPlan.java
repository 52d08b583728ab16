package io.share4v.model.clip;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.VisionSelectFeature;

/**
 * What one use of the tower computes and keeps: the architecture, the {@code hidden_states} entry LLaVA
 * selects ({@code selectLayer}, resolved to 0..L: entry 0 is the pre-LN'd embeddings, entry i the output of
 * encoder layer i-1, so exactly {@code selectLayer} layers run), whether the CLS row is kept
 * ({@code cls_patch}) or dropped ({@code patch}), which part trains, and whether encoder layers recompute
 * their internals in the backward instead of keeping them (gradient checkpointing).
 */
public record ClipVisionPlan(
        ClipVisionConfig config, int selectLayer, boolean keepCls, ClipTrainable trainable, boolean recompute) {
    public ClipVisionPlan {
        if (selectLayer < 0 || selectLayer > config.numLayers()) {
            throw new IllegalArgumentException("mm_vision_select_layer (resolved) = " + selectLayer
                    + " is invalid: expected 0.." + config.numLayers() + " for " + config.numLayers() + " layers");
        }
    }

    /** The plan of a LLaVA model: its select layer and feature, with the given training scope. */
    public static ClipVisionPlan of(LlavaConfig cfg, ClipTrainable trainable, boolean recompute) {
        return new ClipVisionPlan(
                cfg.vision(),
                cfg.visionLayersUsed(),
                cfg.visionSelectFeature() == VisionSelectFeature.CLS_PATCH,
                trainable,
                recompute);
    }

    /** Encoder layers run by the forward (the ones the selected hidden state depends on). */
    public int layersUsed() {
        return selectLayer;
    }

    /** Feature rows per image: P, or P + 1 with the CLS row. */
    public int featureRows() {
        return config.numPatches() + (keepCls ? 1 : 0);
    }

    /** Whether any backward work happens: something below the selected entry trains. */
    public boolean hasBackward() {
        return !trainable.isFrozen() && (trainable.embeddings() || trainable.fromLayer() < selectLayer);
    }

    /** Lowest encoder layer the backward visits (its input gradient is not computed unless embeddings train). */
    public int lowestBackwardLayer() {
        return Math.max(trainable.fromLayer(), 0);
    }

    /** Whether layer {@code l}'s internals must survive the forward for the backward (without recomputation). */
    boolean keepsInternals(int l) {
        return !recompute && hasBackward() && l >= lowestBackwardLayer();
    }
}
