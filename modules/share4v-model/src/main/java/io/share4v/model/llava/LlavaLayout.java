package io.share4v.model.llava;

import io.share4v.model.clip.ClipLayout;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llama.LlamaLayout;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.ParamLayout;

/**
 * The flat-buffer layout of the whole LLaVA model, in the order every part of the project (checkpoints, optimizer
 * state, gradient all-reduce) assumes: vision tower (embeddings, pre_layrnorm, layers 0..L-1, post_layernorm),
 * projector, LLM (embed_tokens, layers, norm, lm_head). Names are the HF checkpoint names of the full model;
 * shapes keep PyTorch's [out, in]. The parts are {@link ClipLayout}, {@link ProjectorLayout} and
 * {@link LlamaLayout} (HF's {@code named_parameters()} order); this class is the one place they are composed.
 */
public final class LlavaLayout {
    private LlavaLayout() {}

    public static ParamLayout of(LlavaConfig c) {
        ParamLayout.Builder b = ParamLayout.builder();
        ClipLayout.add(b, c.vision());
        ProjectorLayout.add(b, c.projector());
        LlamaLayout.add(b, c.llm());
        return b.build();
    }

    /** A plain LLaMA (Vicuna) layout: embed_tokens, layers, norm, lm_head. */
    public static ParamLayout ofLlama(LlamaConfig c) {
        ParamLayout.Builder b = ParamLayout.builder();
        LlamaLayout.add(b, c);
        return b.build();
    }
}
