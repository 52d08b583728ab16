/**
 * Pipeline position: model, at its edges. Hugging Face checkpoints in and out: {@code config.json} into the
 * validated records of {@link io.share4v.model.config}, safetensors and PyTorch {@code .bin} weights
 * (memory-mapped, never copied through the Java heap; pickles read by an allow-list unpickler that never
 * executes code) into the flat parameter buffer of {@link io.share4v.tensor.ParamLayout}, and sharded
 * safetensors written back in the byte layout of the reference safetensors library, so that PyTorch and
 * transformers read what the trainer saves.
 */
package io.share4v.model.io;
