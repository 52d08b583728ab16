package io.share4v.tensor.ops;

/**
 * Dimensions of one attention call. A key is visible to a query iff causality (when {@code causal}: no key after
 * the query) and the batch's {@link AttentionMask} (padding) both allow it. {@code scale} is usually
 * {@code 1/sqrt(headDim)}. The mask is checked against {@code batch} and {@code seq} here, once.
 */
public record AttentionShape(
        int batch, int seq, int heads, int kvHeads, int headDim, boolean causal, float scale, AttentionMask mask)
        implements HeadLayout {
    public AttentionShape {
        if (batch < 1 || seq < 1 || heads < 1 || kvHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("attention dims must be >= 1: batch=" + batch + " seq=" + seq + " heads="
                    + heads + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
        HeadLayout.checkGrouping(heads, kvHeads);
        if (mask == null) {
            throw new IllegalArgumentException("attention mask is required (AttentionMask.none() for no padding)");
        }
        mask.checkFits(batch, seq);
    }

    /** Causal attention with grouped key/value heads, scale {@code 1/sqrt(headDim)}. */
    public static AttentionShape causal(int batch, int seq, int heads, int kvHeads, int headDim, AttentionMask mask) {
        return new AttentionShape(batch, seq, heads, kvHeads, headDim, true, (float) (1.0 / Math.sqrt(headDim)), mask);
    }

    /** Bidirectional attention over every key, one key/value head per query head, scale {@code 1/sqrt(headDim)}. */
    public static AttentionShape full(int batch, int seq, int heads, int headDim) {
        return new AttentionShape(
                batch, seq, heads, heads, headDim, false, (float) (1.0 / Math.sqrt(headDim)), AttentionMask.none());
    }

    /**
     * The candidate keys {@code [0, keyEnd)} of query position {@code query} in sample b: before the sample's right
     * padding and (causal) not after the query. The mask's per-key flags may still hide some of them.
     */
    public int keyEnd(int b, int query) {
        return Math.min(mask.keyEnd(b, seq), causal ? query + 1 : seq);
    }

    /** Whether query position {@code query} of sample b attends to key position {@code key}. */
    public boolean visible(int b, int query, int key) {
        return key < keyEnd(b, query) && mask.keyValid(b, seq, key);
    }
}
