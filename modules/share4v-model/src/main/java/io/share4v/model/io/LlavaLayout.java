package io.share4v.model.io;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.tensor.ParamLayout;

/**
 * The flat-buffer layout of the whole LLaVA model in the order of model-common.md: vision tower
 * (embeddings, pre_layrnorm, layers 0..L-1, post_layernorm), projector, LLM (embed_tokens, layers, norm,
 * lm_head). Names are the HF checkpoint names of the full model; shapes keep PyTorch's [out, in].
 * Component helpers are public so a stage that trains only a part can lay out just that part.
 */
public final class LlavaLayout {
    /** Prefix of every vision-tower parameter in the full model. */
    public static final String VISION_PREFIX = "model.vision_tower.vision_tower.vision_model.";
    /** Prefix of every projector parameter. */
    public static final String PROJECTOR_PREFIX = "model.mm_projector.";

    private LlavaLayout() {}

    public static ParamLayout of(LlavaConfig c) {
        ParamLayout.Builder b = ParamLayout.builder();
        addVision(b, c.vision());
        addProjector(b, c.projector());
        addLlama(b, c.llm());
        return b.build();
    }

    /** A plain LLaMA (Vicuna) layout: embed_tokens, layers, norm, lm_head. */
    public static ParamLayout ofLlama(LlamaConfig c) {
        ParamLayout.Builder b = ParamLayout.builder();
        addLlama(b, c);
        return b.build();
    }

    public static void addVision(ParamLayout.Builder b, ClipVisionConfig v) {
        int c = v.hiddenSize();
        String p = VISION_PREFIX;
        b.add(p + "embeddings.patch_embedding.weight", c, v.numChannels(), v.patchSize(), v.patchSize()); // [C,3,S,S]
        b.add(p + "embeddings.class_embedding", c);
        b.add(p + "embeddings.position_embedding.weight", v.seqLen(), c); // [P+1,C]
        b.add(p + "pre_layrnorm.weight", c).add(p + "pre_layrnorm.bias", c);
        for (int i = 0; i < v.numLayers(); i++) {
            String l = p + "encoder.layers." + i + ".";
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                b.add(l + "self_attn." + proj + ".weight", c, c).add(l + "self_attn." + proj + ".bias", c);
            }
            b.add(l + "layer_norm1.weight", c).add(l + "layer_norm1.bias", c);
            b.add(l + "mlp.fc1.weight", v.intermediateSize(), c).add(l + "mlp.fc1.bias", v.intermediateSize());
            b.add(l + "mlp.fc2.weight", c, v.intermediateSize()).add(l + "mlp.fc2.bias", c);
            b.add(l + "layer_norm2.weight", c).add(l + "layer_norm2.bias", c);
        }
        b.add(p + "post_layernorm.weight", c).add(p + "post_layernorm.bias", c);
    }

    /** {@code linear}: {@code model.mm_projector.{weight,bias}}; {@code mlpNx_gelu}: Sequential indices 0, 2, ... */
    public static void addProjector(ParamLayout.Builder b, ProjectorConfig pc) {
        if (pc.type().equals("linear")) {
            b.add(PROJECTOR_PREFIX + "weight", pc.outFeatures(), pc.inFeatures()).add(PROJECTOR_PREFIX + "bias", pc.outFeatures());
            return;
        }
        for (int i = 0; i < pc.depth(); i++) {
            int in = i == 0 ? pc.inFeatures() : pc.outFeatures();
            b.add(PROJECTOR_PREFIX + (2 * i) + ".weight", pc.outFeatures(), in);
            b.add(PROJECTOR_PREFIX + (2 * i) + ".bias", pc.outFeatures());
        }
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
