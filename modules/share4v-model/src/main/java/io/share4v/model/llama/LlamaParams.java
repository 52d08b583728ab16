package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.ParamLayout;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

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
        public final INDArray inputLayernorm;          // [C]
        public final INDArray wq;                      // [H*D, C]
        public final INDArray wk;                      // [Hkv*D, C]
        public final INDArray wv;                      // [Hkv*D, C]
        public final INDArray wo;                      // [C, H*D]
        public final INDArray postAttentionLayernorm;  // [C]
        public final INDArray wGate;                   // [F, C]
        public final INDArray wUp;                     // [F, C]
        public final INDArray wDown;                   // [C, F]

        Layer(Views v, int i) {
            inputLayernorm = v.get(LlamaLayout.inputLayernorm(i));
            wq = v.get(LlamaLayout.q(i));
            wk = v.get(LlamaLayout.k(i));
            wv = v.get(LlamaLayout.v(i));
            wo = v.get(LlamaLayout.o(i));
            postAttentionLayernorm = v.get(LlamaLayout.postAttentionLayernorm(i));
            wGate = v.get(LlamaLayout.gate(i));
            wUp = v.get(LlamaLayout.up(i));
            wDown = v.get(LlamaLayout.down(i));
        }

        /** True when at least one tensor of the layer is present (for gradients: trainable). */
        public boolean any() {
            return inputLayernorm != null || wq != null || wk != null || wv != null || wo != null
                    || postAttentionLayernorm != null || wGate != null || wUp != null || wDown != null;
        }
    }

    public final INDArray embedTokens; // [V, C]
    public final Layer[] layers;
    public final INDArray norm;        // [C]
    public final INDArray lmHead;      // [V, C]

    private LlamaParams(Views v, LlamaConfig c) {
        embedTokens = v.get(LlamaLayout.EMBED_TOKENS);
        layers = new Layer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(v, i);
        }
        norm = v.get(LlamaLayout.NORM);
        lmHead = v.get(LlamaLayout.LM_HEAD);
    }

    /** Views of every LLM tensor in {@code flat} (the parameters). */
    public static LlamaParams of(ParamLayout layout, INDArray flat, LlamaConfig c) {
        return new LlamaParams(new Views(layout, flat, name -> true), c);
    }

    /** Views of the tensors {@code present} accepts; the others are null (the gradients of a partly frozen model). */
    public static LlamaParams of(ParamLayout layout, INDArray flat, LlamaConfig c, Predicate<String> present) {
        return new LlamaParams(new Views(layout, flat, present), c);
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

    private record Views(ParamLayout layout, INDArray flat, Predicate<String> present) {
        INDArray get(String name) {
            return present.test(name) ? layout.view(flat, name) : null;
        }
    }
}
