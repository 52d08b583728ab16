/**
 * Pipeline position: model. The LLaMA-2 decoder as HF {@code LlamaForCausalLM} (transformers 4.31) computes it:
 * token embedding, RMSNorm, rotate-half RoPE, causal grouped-query attention with right-padding masks, SwiGLU
 * MLP, final norm and an untied {@code lm_head}. llm.c style: {@link io.share4v.model.llama.LlamaParams} are
 * named views into the flat parameter (or gradient) buffer, {@link io.share4v.model.llama.LlamaActivations}
 * are preallocated once for a capacity, and {@link io.share4v.model.llama.LlamaDecoder} holds the static
 * forward and backward passes, plus the forward-only KV-cached pass for generation
 * ({@link io.share4v.model.llama.LlamaDecoder#forwardCached} over a {@link io.share4v.model.llama.KvCache} and
 * {@link io.share4v.model.llama.CachedActivations}, sharing the layer code). The multimodal composition on top of it lives in {@code io.share4v.model.llava}.
 */
package io.share4v.model.llama;
