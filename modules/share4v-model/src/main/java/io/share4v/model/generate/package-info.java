/**
 * Pipeline position: model -> generation (what eval and serving call). KV-cached decoding of the whole
 * ShareGPT4V / LLaVA-1.5 model ({@link io.share4v.model.generate.Generator}): a prefill over the spliced prompt
 * (image features exactly as in the training forward) that fills per-layer key/value caches, then one token per
 * step; greedy or HF-style sampling (temperature, top-k, top-p with a seeded RNG); stopping on EOS, on the
 * template's stop string ({@code KeywordsStoppingCriteria}) and on {@code max_new_tokens}; and the reference's
 * answer post-processing ({@link io.share4v.model.generate.AnswerText}).
 */
package io.share4v.model.generate;
