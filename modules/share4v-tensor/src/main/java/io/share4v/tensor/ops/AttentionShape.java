package io.share4v.tensor.ops;

/**
 * Dimensions of one attention call. {@code validLength} (may be null) gives each sample's unpadded length;
 * keys at or beyond it are masked (right padding). {@code keyValid} (may be null) masks single keys anywhere:
 * key j of sample b is attendable only if {@code keyValid[b*seq + j]} — the reference's padding mask
 * {@code input_ids != pad} also hides a literal pad id in the middle of a text. A key is visible to a query iff
 * causality, validLength and keyValid all allow it. {@code scale} is usually {@code 1/sqrt(headDim)}.
 */
public record AttentionShape(int batch, int seq, int heads, int kvHeads, int headDim, boolean causal,
                             int[] validLength, float scale, boolean[] keyValid) {
    public AttentionShape(int batch, int seq, int heads, int kvHeads, int headDim, boolean causal, int[] validLength,
                          float scale) {
        this(batch, seq, heads, kvHeads, headDim, causal, validLength, scale, null);
    }

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
        if (keyValid != null && keyValid.length != (long) batch * seq) {
            throw new IllegalArgumentException("keyValid has " + keyValid.length + " entries; expected batch*seq = "
                    + (long) batch * seq);
        }
    }

    /** This shape with per-key validity {@code keyValid[B*T]} (null: no mask beyond causal and validLength). */
    public AttentionShape withKeyValid(boolean[] keyValid) {
        return new AttentionShape(batch, seq, heads, kvHeads, headDim, causal, validLength, scale, keyValid);
    }

    public static AttentionShape causal(int batch, int seq, int heads, int kvHeads, int headDim, int[] validLength) {
        return new AttentionShape(batch, seq, heads, kvHeads, headDim, true, validLength, (float) (1.0 / Math.sqrt(headDim)));
    }

    public static AttentionShape full(int batch, int seq, int heads, int headDim) {
        return new AttentionShape(batch, seq, heads, heads, headDim, false, null, (float) (1.0 / Math.sqrt(headDim)));
    }
}
