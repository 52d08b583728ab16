package io.share4v.model.io;

import io.share4v.model.clip.ClipLayout;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.ParamLayout;

/**
 * The flat-buffer layout of the whole LLaVA model in the order of model-common.md: vision tower
 * (embeddings, pre_layrnorm, layers 0..L-1, post_layernorm), projector, LLM (embed_tokens, layers, norm,
 * lm_head). Names are the HF checkpoint names of the full model; shapes keep PyTorch's [out, in].
 * The vision tower and projector parts are {@link ClipLayout} and {@link ProjectorLayout} (HF's
 * {@code named_parameters()} order inside a CLIP layer).
 */
public final class LlavaLayout {
    /** Prefix of every vision-tower parameter in the full model. */
    public static final String VISION_PREFIX = ClipLayout.PREFIX;
    /** Prefix of every projector parameter. */
    public static final String PROJECTOR_PREFIX = ProjectorLayout.PREFIX;

    private LlavaLayout() {}

    public static ParamLayout of(LlavaConfig c) {
        ParamLayout.Builder b = ParamLayout.builder();
        ClipLayout.add(b, c.vision());
        ProjectorLayout.add(b, c.projector());
        addLlama(b, c.llm());
        return b.build();
    }

    /** A plain LLaMA (Vicuna) layout: embed_tokens, layers, norm, lm_head. */
    public static ParamLayout ofLlama(LlamaConfig c) {
        ParamLayout.Builder b = ParamLayout.builder();
        addLlama(b, c);
        return b.build();
    }

    /** With tied embeddings there is no {@code lm_head.weight}: the head reads {@code embed_tokens}. */
    public static void addLlama(ParamLayout.Builder b, LlamaConfig c) {
        int h = c.hiddenSize();
        b.add("model.embed_tokens.weight", c.vocabSize(), h); // [V,C]
        for (int i = 0; i < c.numLayers(); i++) {
            String l = "model.layers." + i + ".";
            b.add(l + "self_attn.q_proj.weight", h, h);
            b.add(l + "self_attn.k_proj.weight", c.kvDim(), h);
            b.add(l + "self_attn.v_proj.weight", c.kvDim(), h);
            b.add(l + "self_attn.o_proj.weight", h, h);
            b.add(l + "mlp.gate_proj.weight", c.intermediateSize(), h);
            b.add(l + "mlp.up_proj.weight", c.intermediateSize(), h);
            b.add(l + "mlp.down_proj.weight", h, c.intermediateSize());
            b.add(l + "input_layernorm.weight", h);
            b.add(l + "post_attention_layernorm.weight", h);
        }
        b.add("model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            b.add("lm_head.weight", c.vocabSize(), h);
        }
    }
}
