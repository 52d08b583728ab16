/**
 * Pipeline position: model (composition; the trainer and generation call into it). The whole ShareGPT4V /
 * LLaVA-1.5 model over one flat parameter buffer and one flat gradient buffer: CLIP tower, projector, the
 * multimodal splice of image features into the token stream ({@link io.share4v.model.llava.SplicePlan},
 * {@link io.share4v.model.llava.MultimodalSplice}), the LLaMA decoder and the next-token loss
 * ({@link io.share4v.model.llava.CausalLmLoss}); {@link io.share4v.model.llava.Trainable} decides which ranges
 * get gradients and therefore how much backward work is done.
 */
package io.share4v.model.llava;
