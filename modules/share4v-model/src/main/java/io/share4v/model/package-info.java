/**
 * Pipeline position: model (after data, before train). The ShareGPT4V / LLaVA-1.5 network: CLIP vision
 * tower, multimodal projector and LLaMA decoder, with explicit forward and backward passes over one flat
 * parameter buffer ({@link io.share4v.tensor.ParamLayout}) and the kernels of {@link io.share4v.tensor.ops.Kernels};
 * HF checkpoints in and out; KV-cached generation.
 */
package io.share4v.model;
