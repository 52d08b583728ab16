/**
 * Pipeline position: data. Turns image files into the CLIP pixel tensors the model's vision tower consumes,
 * reproducing the reference Python path bit for bit: Pillow's {@code Image.open(f).convert('RGB')}
 * ({@link io.share4v.data.image.ImageDecoder}), ShareGPT4V's {@code expand2square} and transformers 4.31's
 * {@code CLIPImageProcessor} with Pillow's BICUBIC resampling ({@link io.share4v.data.image.ClipImageProcessor}).
 * Used by the sharding job, the training workers and the CLI alike; no Spark here.
 */
package io.share4v.data.image;
