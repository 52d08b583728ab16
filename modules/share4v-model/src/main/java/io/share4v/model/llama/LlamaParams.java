package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import java.util.function.Predicate;

/**
 * Named views of the LLM's tensors inside one flat buffer (llm.c's {@code ParameterTensors}). The same type
 * serves the parameters and the gradients: for gradients, a frozen tensor's view is {@code null}, which the
 * kernels read as "skip this parameter's gradient work".
 *
 * <p>C = hidden, F = intermediate, V = vocab, H = heads, Hkv = key/value heads, D = head dim.
 */
public final class LlamaParams {
    /** One decoder layer's tensors. */
    public static final class Layer {
        public final Tensor inputLayernorm; // [C]
        public final Tensor wq; // [H*D, C]
        public final Tensor wk; // [Hkv*D, C]
        public final Tensor wv; // [Hkv*D, C]
        public final Tensor wo; // [C, H*D]
        public final Tensor postAttentionLayernorm; // [C]
        public final Tensor wGate; // [F, C]
        public final Tensor wUp; // [F, C]
        public final Tensor wDown; // [C, F]

        Layer(ParamLayout layout, Tensor flat, Predicate<String> present, int i) {
            inputLayernorm = layout.view(flat, LlamaLayout.inputLayernorm(i), present);
            wq = layout.view(flat, LlamaLayout.q(i), present);
            wk = layout.view(flat, LlamaLayout.k(i), present);
            wv = layout.view(flat, LlamaLayout.v(i), present);
            wo = layout.view(flat, LlamaLayout.o(i), present);
            postAttentionLayernorm = layout.view(flat, LlamaLayout.postAttentionLayernorm(i), present);
            wGate = layout.view(flat, LlamaLayout.gate(i), present);
            wUp = layout.view(flat, LlamaLayout.up(i), present);
            wDown = layout.view(flat, LlamaLayout.down(i), present);
        }

        /** True when at least one tensor of the layer is present (for gradients: trainable). */
        public boolean any() {
            return inputLayernorm != null
                    || wq != null
                    || wk != null
                    || wv != null
                    || wo != null
                    || postAttentionLayernorm != null
                    || wGate != null
                    || wUp != null
                    || wDown != null;
        }
    }

    public final Tensor embedTokens; // [V, C]
    public final Layer[] layers;
    public final Tensor norm; // [C]
    public final Tensor lmHead; // [V, C]

    private LlamaParams(ParamLayout layout, LlamaConfig c, Tensor flat, Predicate<String> present) {
        embedTokens = layout.view(flat, LlamaLayout.EMBED_TOKENS, present);
        layers = new Layer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(layout, flat, present, i);
        }
        norm = layout.view(flat, LlamaLayout.NORM, present);
        lmHead = layout.view(flat, LlamaLayout.LM_HEAD, present);
    }

    /** Views of every LLM tensor in {@code flat} (the parameters). */
    public static LlamaParams of(ParamLayout layout, LlamaConfig c, Tensor flat) {
        return new LlamaParams(layout, c, flat, name -> true);
    }

    /**
     * Views of the tensors {@code trains} accepts (e.g. {@code Trainable::trains}); the others are null: the
     * gradients of a partly frozen model.
     */
    public static LlamaParams of(ParamLayout layout, LlamaConfig c, Tensor flat, Predicate<String> trains) {
        return new LlamaParams(layout, c, flat, trains);
    }

    /** True when some tensor is present (for gradients: some LLM tensor is trainable). */
    public boolean any() {
        if (embedTokens != null || norm != null || lmHead != null) {
            return true;
        }
        for (Layer l : layers) {
            if (l.any()) {
                return true;
            }
        }
        return false;
    }
}
