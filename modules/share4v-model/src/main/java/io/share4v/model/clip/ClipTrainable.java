package io.share4v.model.clip;

/**
 * Which part of the vision tower trains, and therefore how far down the backward goes.
 * {@code fromLayer} = -1: everything (embeddings, pre_layrnorm, every encoder layer; the backward can reach
 * the images); {@code k >= 0}: encoder layers {@code >= k} only (stage 1 uses 12: the backward stops at layer
 * k's input); {@code Integer.MAX_VALUE}: frozen (stage 2: no backward at all). post_layernorm never trains:
 * LLaVA does not apply it.
 */
public record ClipTrainable(int fromLayer) {
    private static final int FROZEN = Integer.MAX_VALUE;

    public ClipTrainable {
        if (fromLayer < -1) {
            throw new IllegalArgumentException("vision trainable fromLayer = " + fromLayer
                    + " is invalid: expected -1 (all), a layer index >= 0, or frozen");
        }
    }

    public static ClipTrainable all() {
        return new ClipTrainable(-1);
    }

    public static ClipTrainable fromLayer(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("tune_vit_from_layer = " + k + " is invalid: expected >= 0");
        }
        return new ClipTrainable(k);
    }

    public static ClipTrainable frozen() {
        return new ClipTrainable(FROZEN);
    }

    public boolean isFrozen() {
        return fromLayer == FROZEN;
    }

    /** Embeddings and pre_layrnorm train (and the backward may continue into the images). */
    public boolean embeddings() {
        return fromLayer == -1;
    }

    public boolean layer(int i) {
        return i >= fromLayer;
    }

    /** Whether the vision tensor {@code name} trains under this scope. */
    public boolean trains(String name) {
        if (name.equals(ClipLayout.POST_LN_WEIGHT) || name.equals(ClipLayout.POST_LN_BIAS)) {
            return false;
        }
        int layer = ClipLayout.layerIndex(name);
        return layer >= 0 ? layer(layer) : embeddings();
    }

    @Override
    public String toString() {
        return isFrozen() ? "frozen" : embeddings() ? "all" : "fromLayer(" + fromLayer + ")";
    }
}
