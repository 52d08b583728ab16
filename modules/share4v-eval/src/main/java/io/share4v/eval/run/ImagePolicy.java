package io.share4v.eval.run;

/**
 * How a runner preprocesses its images, as the reference scripts differ: {@code model_vqa_loader} and
 * {@code model_vqa_mmbench} call {@code process_images}, which follows the checkpoint's {@code image_aspect_ratio}
 * ({@code pad} for ShareGPT4V: expand to a square on the CLIP mean colour, then the CLIP processor); ShareGPT4V's
 * {@code model_vqa}, {@code model_vqa_science} and {@code model_vqa_qbench} call {@code image_processor.preprocess}
 * directly (shortest side resized, centre crop, no padding).
 */
public enum ImagePolicy {
    /** The checkpoint's {@code image_aspect_ratio} ({@code process_images}). */
    MODEL_CONFIG,
    /** The CLIP processor alone: resize the shortest side and centre-crop, whatever the checkpoint says. */
    CENTRE_CROP
}
