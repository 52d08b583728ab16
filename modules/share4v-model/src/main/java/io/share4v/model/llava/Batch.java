package io.share4v.model.llava;

import io.share4v.data.Tokens;
import io.share4v.tensor.Tensor;

/**
 * One micro-batch as the collator hands it over: {@code inputIds[B][]} right-padded with the pad id or ragged,
 * optional {@code labels[B][]} of the same lengths ({@value Tokens#IGNORE_INDEX} = not supervised; null for
 * inference), and exactly one preprocessed image per {@value Tokens#IMAGE_TOKEN_INDEX} in the batch, in
 * order, either as {@code imagePixels[I][3*H*W]} (CHW, normalised) or as an {@code images [I, 3, H, W]} array.
 * Text-only samples carry no image (the reference's dummy zero image only advances an index).
 */
public record Batch(int[][] inputIds, int[][] labels, float[][] imagePixels, Tensor images) {
    public Batch {
        if (inputIds == null || inputIds.length == 0) {
            throw new IllegalArgumentException("batch input_ids is empty");
        }
        if (imagePixels != null && images != null) {
            throw new IllegalArgumentException("batch has both imagePixels and an images array; give one");
        }
        if (images != null && images.rank() != 4) {
            throw new IllegalArgumentException("batch images must be [I, 3, H, W], got rank " + images.rank());
        }
    }

    public static Batch of(int[][] inputIds, int[][] labels, float[][] imagePixels) {
        return new Batch(inputIds, labels, imagePixels, null);
    }

    public static Batch of(int[][] inputIds, int[][] labels, Tensor images) {
        return new Batch(inputIds, labels, null, images);
    }

    public static Batch text(int[][] inputIds, int[][] labels) {
        return new Batch(inputIds, labels, null, null);
    }

    /** Images the batch carries. */
    public int imageCount() {
        return imagePixels != null ? imagePixels.length : images != null ? (int) images.size(0) : 0;
    }
}
