package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.ParamLayout;

/**
 * The LLM's tensors in the flat buffer, under the HF checkpoint names of the full LLaVA model and in the
 * order HF's state dict lists them: {@code model.embed_tokens}, the layers, {@code model.norm}, {@code lm_head}.
 * Weight matrices keep PyTorch's {@code [out, in]} layout.
 */
public final class LlamaLayout {
    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** Every LLM tensor name starts with one of these (used to select the LLM's ranges). */
    public static final String LAYERS_PREFIX = "model.layers.";

    private LlamaLayout() {}

    /** Appends the LLM's tensors to {@code b}. C = hidden, F = intermediate, V = vocab, H*D and Hkv*D. */
    public static ParamLayout.Builder add(ParamLayout.Builder b, LlamaConfig c) {
        if (c.tieWordEmbeddings()) {
            throw new IllegalArgumentException("tie_word_embeddings = true is not supported: LLaVA-1.5 / ShareGPT4V"
                    + " checkpoints have an untied lm_head");
        }
        long C = c.hiddenSize();
        long F = c.intermediateSize();
        long qDim = (long) c.numHeads() * c.headDim();
        long kvDim = c.kvDim();
        b.add(EMBED_TOKENS, c.vocabSize(), C);
        for (int i = 0; i < c.numLayers(); i++) {
            b.add(q(i), qDim, C);
            b.add(k(i), kvDim, C);
            b.add(v(i), kvDim, C);
            b.add(o(i), C, qDim);
            b.add(gate(i), F, C);
            b.add(up(i), F, C);
            b.add(down(i), C, F);
            b.add(inputLayernorm(i), C);
            b.add(postAttentionLayernorm(i), C);
        }
        b.add(NORM, C);
        b.add(LM_HEAD, c.vocabSize(), C);
        return b;
    }

    /** True for every tensor {@link #add} creates. */
    public static boolean isLlm(String name) {
        return name.equals(EMBED_TOKENS) || name.startsWith(LAYERS_PREFIX) || name.equals(NORM) || name.equals(LM_HEAD);
    }

    static String layer(int i) {
        return LAYERS_PREFIX + i + ".";
    }

    public static String q(int i) {
        return layer(i) + "self_attn.q_proj.weight";
    }

    public static String k(int i) {
        return layer(i) + "self_attn.k_proj.weight";
    }

    public static String v(int i) {
        return layer(i) + "self_attn.v_proj.weight";
    }

    public static String o(int i) {
        return layer(i) + "self_attn.o_proj.weight";
    }

    public static String gate(int i) {
        return layer(i) + "mlp.gate_proj.weight";
    }

    public static String up(int i) {
        return layer(i) + "mlp.up_proj.weight";
    }

    public static String down(int i) {
        return layer(i) + "mlp.down_proj.weight";
    }

    public static String inputLayernorm(int i) {
        return layer(i) + "input_layernorm.weight";
    }

    public static String postAttentionLayernorm(int i) {
        return layer(i) + "post_attention_layernorm.weight";
    }
}
