package io.share4v.tensor.ops;

/**
 * Dimensions of one attention call. {@code validLength} (may be null) gives each sample's unpadded length;
 * keys at or beyond it are masked (right padding). {@code scale} is usually {@code 1/sqrt(headDim)}.
 */
public record AttentionShape(int batch, int seq, int heads, int kvHeads, int headDim, boolean causal,
                             int[] validLength, float scale) {
    public AttentionShape {
        if (batch < 1 || seq < 1 || heads < 1 || kvHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("attention dims must be >= 1: batch=" + batch + " seq=" + seq
                    + " heads=" + heads + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads
                    + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (validLength != null && validLength.length != batch) {
            throw new IllegalArgumentException("validLength has " + validLength.length + " entries for batch " + batch);
        }
    }

    public static AttentionShape causal(int batch, int seq, int heads, int kvHeads, int headDim, int[] validLength) {
        return new AttentionShape(batch, seq, heads, kvHeads, headDim, true, validLength, (float) (1.0 / Math.sqrt(headDim)));
    }

    public static AttentionShape full(int batch, int seq, int heads, int headDim) {
        return new AttentionShape(batch, seq, heads, heads, headDim, false, null, (float) (1.0 / Math.sqrt(headDim)));
    }
}
