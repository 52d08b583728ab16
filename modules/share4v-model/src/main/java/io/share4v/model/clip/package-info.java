/**
 * Pipeline position: model, first stage of the network (images in, per-patch features out; data feeds it the
 * normalised pixel tensors, the projector consumes its output). The CLIP ViT vision tower of HF
 * {@code CLIPVisionModel} (transformers 4.31) as explicit forward and backward functions over named views
 * of the flat parameter and gradient buffers: {@link io.share4v.model.clip.ClipLayout} (names and order),
 * {@link io.share4v.model.clip.ClipVisionParams} (views), {@link io.share4v.model.clip.ClipActivations}
 * (preallocated buffers), {@link io.share4v.model.clip.ClipVision} (forward, backward).
 */
package io.share4v.model.clip;
