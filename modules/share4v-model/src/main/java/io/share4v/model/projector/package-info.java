/**
 * Pipeline position: model, between the vision tower and the LLM: maps the selected per-patch CLIP features
 * to the LLM's embedding width ({@code mm_projector}: {@code linear} or {@code mlp{N}x_gelu}), forward and
 * backward over views of the flat parameter and gradient buffers.
 */
package io.share4v.model.projector;
