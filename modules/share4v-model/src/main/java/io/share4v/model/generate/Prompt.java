package io.share4v.model.generate;

import io.share4v.data.Tokens;
import java.util.List;

/**
 * One prompt to continue: token ids as {@code tokenizer_image_token} makes them (one {@value Tokens#IMAGE_TOKEN_INDEX}
 * per image, no padding) and exactly one preprocessed image per {@value Tokens#IMAGE_TOKEN_INDEX}, in order, each
 * {@code [3, H, W]} float32 channels-first (the CLIP processor's output).
 */
public record Prompt(int[] ids, List<float[]> images) {
    public Prompt {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("prompt has no token ids");
        }
        ids = ids.clone();
        images = images == null ? List.of() : List.copyOf(images);
        int imageTokens = 0;
        for (int id : ids) {
            if (id == Tokens.IMAGE_TOKEN_INDEX) {
                imageTokens++;
            }
        }
        if (imageTokens != images.size()) {
            throw new IllegalArgumentException(
                    "prompt has " + imageTokens + " image tokens (" + Tokens.IMAGE_TOKEN_INDEX + ") but "
                            + images.size() + " images; give exactly one image per image token");
        }
    }

    /** A text-only prompt. */
    public static Prompt text(int[] ids) {
        return new Prompt(ids, List.of());
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    int length() {
        return ids.length;
    }
}
