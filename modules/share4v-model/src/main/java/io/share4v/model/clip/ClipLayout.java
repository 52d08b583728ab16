package io.share4v.model.clip;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.ParamLayout;
import java.util.function.Predicate;

/**
 * The vision tower's tensors in the flat parameter buffer, with the full HF names of the LLaVA checkpoint
 * ({@link #PREFIX} + the CLIP name), in the model-wide order: embeddings,
 * pre_layrnorm, layers 0..L-1, post_layernorm; inside a layer HF's {@code named_parameters()} order. Freezing is
 * then a couple of name predicates.
 *
 * <p>C = hidden, F = intermediate (MLP), S = patch size, P = patches, T = P + 1 positions.
 */
public final class ClipLayout {
    /**
     * Where the vision tower sits in the LLaVA model: a {@code CLIPVisionModel} directory's own tensor names
     * ({@code vision_model.*}) get this prefix in the full model, and lose it when the tower is saved on its own.
     */
    public static final String TOWER_PREFIX = "model.vision_tower.vision_tower.";
    /** Prefix of every tensor name of a {@code CLIPVisionModel} checkpoint (the text half of a CLIPModel aside). */
    public static final String VISION_MODEL_PREFIX = "vision_model.";
    /** Prefix of every vision tensor name in the LLaVA checkpoint. */
    public static final String PREFIX = TOWER_PREFIX + VISION_MODEL_PREFIX;

    public static final String CLASS_EMBEDDING = PREFIX + "embeddings.class_embedding";
    public static final String PATCH_EMBEDDING = PREFIX + "embeddings.patch_embedding.weight";
    public static final String POSITION_EMBEDDING = PREFIX + "embeddings.position_embedding.weight";
    public static final String PRE_LN_WEIGHT = PREFIX + "pre_layrnorm.weight";
    public static final String PRE_LN_BIAS = PREFIX + "pre_layrnorm.bias";
    public static final String POST_LN_WEIGHT = PREFIX + "post_layernorm.weight";
    public static final String POST_LN_BIAS = PREFIX + "post_layernorm.bias";

    private ClipLayout() {}

    /** {@code <PREFIX>encoder.layers.{i}.{suffix}}. */
    public static String layer(int i, String suffix) {
        return PREFIX + "encoder.layers." + i + "." + suffix;
    }

    /** Adds the whole tower (including the unused post_layernorm, so checkpoints round-trip) in layout order. */
    public static ParamLayout.Builder add(ParamLayout.Builder b, ClipVisionConfig cfg) {
        int c = cfg.hiddenSize();
        int f = cfg.intermediateSize();
        int s = cfg.patchSize();
        b.add(CLASS_EMBEDDING, c); // [C]
        b.add(PATCH_EMBEDDING, c, cfg.numChannels(), s, s); // [C, 3, S, S]
        b.add(POSITION_EMBEDDING, cfg.seqLen(), c); // [T, C]
        b.add(PRE_LN_WEIGHT, c);
        b.add(PRE_LN_BIAS, c);
        for (int i = 0; i < cfg.numLayers(); i++) {
            // HF CLIPAttention's named_parameters order (k, v, q, out), so the flat buffer follows parameters()
            for (String proj : new String[] {"k_proj", "v_proj", "q_proj", "out_proj"}) {
                b.add(layer(i, "self_attn." + proj + ".weight"), c, c); // [C, C]
                b.add(layer(i, "self_attn." + proj + ".bias"), c); // [C]
            }
            b.add(layer(i, "layer_norm1.weight"), c);
            b.add(layer(i, "layer_norm1.bias"), c);
            b.add(layer(i, "mlp.fc1.weight"), f, c); // [F, C]
            b.add(layer(i, "mlp.fc1.bias"), f);
            b.add(layer(i, "mlp.fc2.weight"), c, f); // [C, F]
            b.add(layer(i, "mlp.fc2.bias"), c);
            b.add(layer(i, "layer_norm2.weight"), c);
            b.add(layer(i, "layer_norm2.bias"), c);
        }
        b.add(POST_LN_WEIGHT, c);
        b.add(POST_LN_BIAS, c);
        return b;
    }

    /** True for every vision tower tensor name. */
    public static boolean isVision(String name) {
        return name.startsWith(PREFIX);
    }

    /**
     * The vision tensors a {@link ClipTrainable} scope leaves frozen (for {@link ParamLayout#ranges}):
     * stage 1 ({@code fromLayer(12)}) freezes embeddings, pre_layrnorm, layers below 12 and post_layernorm.
     */
    public static Predicate<String> frozen(ClipTrainable scope) {
        return name -> isVision(name) && !scope.trains(name);
    }

    /** The layer index of a {@code ...encoder.layers.{i}.} name, or -1 for the tower's other tensors. */
    static int layerIndex(String name) {
        String marker = PREFIX + "encoder.layers.";
        if (!name.startsWith(marker)) {
            return -1;
        }
        int end = name.indexOf('.', marker.length());
        return Integer.parseInt(name.substring(marker.length(), end));
    }
}
