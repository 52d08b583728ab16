package io.share4v.model.clip;

import static io.share4v.model.clip.ClipLayout.layer;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import java.util.function.Predicate;

/**
 * Named views of the vision tower's tensors inside one flat buffer (llm.c's {@code ParameterTensors}): the
 * same class serves the parameters and, over the flat gradient buffer, their gradients. Writes through a view
 * land in the flat buffer. For gradients, a frozen tensor's view is {@code null}, which the kernels read as
 * "skip this parameter's gradient work".
 *
 * <p>C = hidden, F = intermediate, S = patch size, T = positions (patches + CLS).
 */
public final class ClipVisionParams {
    /** One encoder layer's tensors. */
    public static final class Layer {
        public final Tensor qW, qB; // [C, C], [C]
        public final Tensor kW, kB; // [C, C], [C]
        public final Tensor vW, vB; // [C, C], [C]
        public final Tensor outW, outB; // [C, C], [C]
        public final Tensor ln1W, ln1B; // [C], [C]
        public final Tensor fc1W, fc1B; // [F, C], [F]
        public final Tensor fc2W, fc2B; // [C, F], [C]
        public final Tensor ln2W, ln2B; // [C], [C]

        private Layer(ParamLayout layout, Tensor flat, Predicate<String> present, int i) {
            qW = layout.view(flat, layer(i, "self_attn.q_proj.weight"), present);
            qB = layout.view(flat, layer(i, "self_attn.q_proj.bias"), present);
            kW = layout.view(flat, layer(i, "self_attn.k_proj.weight"), present);
            kB = layout.view(flat, layer(i, "self_attn.k_proj.bias"), present);
            vW = layout.view(flat, layer(i, "self_attn.v_proj.weight"), present);
            vB = layout.view(flat, layer(i, "self_attn.v_proj.bias"), present);
            outW = layout.view(flat, layer(i, "self_attn.out_proj.weight"), present);
            outB = layout.view(flat, layer(i, "self_attn.out_proj.bias"), present);
            ln1W = layout.view(flat, layer(i, "layer_norm1.weight"), present);
            ln1B = layout.view(flat, layer(i, "layer_norm1.bias"), present);
            fc1W = layout.view(flat, layer(i, "mlp.fc1.weight"), present);
            fc1B = layout.view(flat, layer(i, "mlp.fc1.bias"), present);
            fc2W = layout.view(flat, layer(i, "mlp.fc2.weight"), present);
            fc2B = layout.view(flat, layer(i, "mlp.fc2.bias"), present);
            ln2W = layout.view(flat, layer(i, "layer_norm2.weight"), present);
            ln2B = layout.view(flat, layer(i, "layer_norm2.bias"), present);
        }
    }

    public final ClipVisionConfig config;
    public final Tensor classEmbedding; // [C]
    /** The conv weight [C, 3, S, S] viewed as the GEMM matrix [C, 3*S*S] (same memory, PyTorch order). */
    public final Tensor patchW; // [C, 3*S*S]

    public final Tensor positionEmbedding; // [T, C]
    public final Tensor preLnW, preLnB; // [C], [C]
    public final Layer[] layers; // [L]
    public final Tensor postLnW, postLnB; // [C], [C] (kept for checkpoints; LLaVA does not apply it)

    private ClipVisionParams(ParamLayout layout, ClipVisionConfig cfg, Tensor flat, Predicate<String> present) {
        this.config = cfg;
        int c = cfg.hiddenSize();
        int s = cfg.patchSize();
        classEmbedding = layout.view(flat, ClipLayout.CLASS_EMBEDDING, present);
        Tensor patch = layout.view(flat, ClipLayout.PATCH_EMBEDDING, present);
        patchW = patch == null ? null : patch.reshape(c, (long) cfg.numChannels() * s * s);
        positionEmbedding = layout.view(flat, ClipLayout.POSITION_EMBEDDING, present);
        preLnW = layout.view(flat, ClipLayout.PRE_LN_WEIGHT, present);
        preLnB = layout.view(flat, ClipLayout.PRE_LN_BIAS, present);
        layers = new Layer[cfg.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(layout, flat, present, i);
        }
        postLnW = layout.view(flat, ClipLayout.POST_LN_WEIGHT, present);
        postLnB = layout.view(flat, ClipLayout.POST_LN_BIAS, present);
    }

    /** Views of every tower tensor in {@code flat} (the parameters). */
    public static ClipVisionParams of(ParamLayout layout, ClipVisionConfig cfg, Tensor flat) {
        return new ClipVisionParams(layout, cfg, flat, name -> true);
    }

    /**
     * Views of the tensors {@code trains} accepts (e.g. {@code Trainable::trains}); the others are null: the
     * gradients of a partly frozen tower.
     */
    public static ClipVisionParams of(ParamLayout layout, ClipVisionConfig cfg, Tensor flat, Predicate<String> trains) {
        return new ClipVisionParams(layout, cfg, flat, trains);
    }
}
