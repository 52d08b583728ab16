package io.share4v.data.text;

import java.util.Objects;

/**
 * How records become token ids and labels.
 *
 * @param template       a {@link ConversationTemplates} name the preprocessor supports ({@code v1} for stage 2,
 *                       {@code plain} for stage 1; see {@link SamplePreprocessor#supports})
 * @param modelMaxLength the reference's {@code model_max_length} (2048): text-only truncation, the mismatch
 *                       check's bound and the collator's truncation, all counted before image expansion
 * @param mismatchPolicy what a tokenization mismatch does to the record
 * @param imageTokens    patch tokens one image expands to (576 for CLIP ViT-L/14 at 336 px); only used to
 *                       report {@link TokenizedSample#expandedLength()}
 */
public record PreprocessConfig(String template, int modelMaxLength, MismatchPolicy mismatchPolicy, int imageTokens) {
    /** The reference's stage-2 settings: v1, 2048, keep mismatched samples, 576 patches. */
    public static PreprocessConfig stage2() {
        return new PreprocessConfig("v1", 2048, MismatchPolicy.KEEP_IGNORED, 576);
    }

    /** The reference's stage-1 settings: plain, 2048, 576 patches. */
    public static PreprocessConfig stage1() {
        return new PreprocessConfig("plain", 2048, MismatchPolicy.KEEP_IGNORED, 576);
    }

    public PreprocessConfig {
        if (!ConversationTemplates.isKnown(template)) {
            throw new IllegalArgumentException(
                    "preprocess.template is '" + template + "'; known templates: " + ConversationTemplates.names());
        }
        if (!SamplePreprocessor.supports(template)) {
            throw new IllegalArgumentException("preprocess.template '" + template
                    + "' is a known template but its training preprocessing is not implemented; supported: "
                    + SamplePreprocessor.supportedTemplates());
        }
        if (modelMaxLength < 1) {
            throw new IllegalArgumentException("preprocess.modelMaxLength is " + modelMaxLength + "; must be >= 1");
        }
        Objects.requireNonNull(mismatchPolicy, "preprocess.mismatchPolicy must be KEEP_IGNORED or REJECT, got null");
        if (imageTokens < 1) {
            throw new IllegalArgumentException(
                    "preprocess.imageTokens is " + imageTokens + "; must be >= 1 (576 for ViT-L/14-336)");
        }
    }
}
