package io.share4v.model.clip;

import static io.share4v.model.clip.ClipLayout.layer;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.ParamLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Named views of the vision tower's tensors inside one flat buffer (llm.c's {@code ParameterTensors}): the
 * same class serves the parameters and, over the flat gradient buffer, their gradients. Writes through a view
 * land in the flat buffer.
 *
 * <p>C = hidden, F = intermediate, S = patch size, T = positions (patches + CLS).
 */
public final class ClipVisionParams {
    /** One encoder layer's tensors. */
    public static final class Layer {
        public final INDArray qW, qB;       // [C, C], [C]
        public final INDArray kW, kB;       // [C, C], [C]
        public final INDArray vW, vB;       // [C, C], [C]
        public final INDArray outW, outB;   // [C, C], [C]
        public final INDArray ln1W, ln1B;   // [C], [C]
        public final INDArray fc1W, fc1B;   // [F, C], [F]
        public final INDArray fc2W, fc2B;   // [C, F], [C]
        public final INDArray ln2W, ln2B;   // [C], [C]

        private Layer(ParamLayout layout, INDArray flat, int i) {
            qW = layout.view(flat, layer(i, "self_attn.q_proj.weight"));
            qB = layout.view(flat, layer(i, "self_attn.q_proj.bias"));
            kW = layout.view(flat, layer(i, "self_attn.k_proj.weight"));
            kB = layout.view(flat, layer(i, "self_attn.k_proj.bias"));
            vW = layout.view(flat, layer(i, "self_attn.v_proj.weight"));
            vB = layout.view(flat, layer(i, "self_attn.v_proj.bias"));
            outW = layout.view(flat, layer(i, "self_attn.out_proj.weight"));
            outB = layout.view(flat, layer(i, "self_attn.out_proj.bias"));
            ln1W = layout.view(flat, layer(i, "layer_norm1.weight"));
            ln1B = layout.view(flat, layer(i, "layer_norm1.bias"));
            fc1W = layout.view(flat, layer(i, "mlp.fc1.weight"));
            fc1B = layout.view(flat, layer(i, "mlp.fc1.bias"));
            fc2W = layout.view(flat, layer(i, "mlp.fc2.weight"));
            fc2B = layout.view(flat, layer(i, "mlp.fc2.bias"));
            ln2W = layout.view(flat, layer(i, "layer_norm2.weight"));
            ln2B = layout.view(flat, layer(i, "layer_norm2.bias"));
        }
    }

    public final ClipVisionConfig config;
    public final INDArray classEmbedding;   // [C]
    /** The conv weight [C, 3, S, S] viewed as the GEMM matrix [C, 3*S*S] (same memory, PyTorch order). */
    public final INDArray patchW;           // [C, 3*S*S]
    public final INDArray positionEmbedding; // [T, C]
    public final INDArray preLnW, preLnB;   // [C], [C]
    public final Layer[] layers;            // [L]
    public final INDArray postLnW, postLnB; // [C], [C] (kept for checkpoints; LLaVA does not apply it)

    private ClipVisionParams(ParamLayout layout, ClipVisionConfig cfg, INDArray flat) {
        this.config = cfg;
        int c = cfg.hiddenSize();
        int s = cfg.patchSize();
        classEmbedding = layout.view(flat, ClipLayout.CLASS_EMBEDDING);
        patchW = layout.view(flat, ClipLayout.PATCH_EMBEDDING).reshape('c', c, (long) cfg.numChannels() * s * s);
        positionEmbedding = layout.view(flat, ClipLayout.POSITION_EMBEDDING);
        preLnW = layout.view(flat, ClipLayout.PRE_LN_WEIGHT);
        preLnB = layout.view(flat, ClipLayout.PRE_LN_BIAS);
        layers = new Layer[cfg.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(layout, flat, i);
        }
        postLnW = layout.view(flat, ClipLayout.POST_LN_WEIGHT);
        postLnB = layout.view(flat, ClipLayout.POST_LN_BIAS);
    }

    /** Views of the tower's tensors in {@code flat} (the parameter or the gradient buffer of {@code layout}). */
    public static ClipVisionParams view(ParamLayout layout, ClipVisionConfig cfg, INDArray flat) {
        return new ClipVisionParams(layout, cfg, flat);
    }

    public DataType dataType() {
        return classEmbedding.dataType();
    }
}
