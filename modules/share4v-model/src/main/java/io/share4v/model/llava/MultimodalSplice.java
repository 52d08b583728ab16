package io.share4v.model.llava;

import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Kernels;

/**
 * Builds the decoder's input embeddings from token embeddings and projected image features following a
 * {@link SplicePlan}, and routes their gradient back: token rows scatter-add into {@code embed_tokens}, image
 * rows go to the projector's output gradient.
 *
 * <p>N = B*T stream rows, C = hidden, P = feature rows per image, I = images.
 */
public final class MultimodalSplice {
    private MultimodalSplice() {}

    /**
     * {@code x0[N, C]}: zero padding, {@code embedTokens[tokenId]} for token rows, {@code features[i*P + p]} for
     * image rows. {@code features[I*P, C]} may be null when the plan has no image.
     */
    public static void forward(Tensor x0, Tensor embedTokens, Tensor features, SplicePlan plan, Kernels k) {
        k.zero(x0);
        k.embeddingForward(x0, embedTokens, plan.tokenIds);
        for (SplicePlan.Placement pl : plan.placements) {
            k.copy(x0.rows(pl.row(), plan.imageRows), features.rows(pl.image() * plan.imageRows, plan.imageRows));
        }
    }

    /**
     * Backward: {@code dEmbedTokens[V, C] += scatter(dx0)} over token rows (null: frozen),
     * {@code dFeatures[I*P, C] = dx0[image rows]} (null: nothing upstream trains).
     */
    public static void backward(Tensor dEmbedTokens, Tensor dFeatures, Tensor dx0, SplicePlan plan, Kernels k) {
        if (dEmbedTokens != null) {
            k.embeddingBackward(dEmbedTokens, dx0, plan.tokenIds);
        }
        if (dFeatures != null) {
            for (SplicePlan.Placement pl : plan.placements) {
                k.copy(dFeatures.rows(pl.image() * plan.imageRows, plan.imageRows), dx0.rows(pl.row(), plan.imageRows));
            }
        }
    }
}
