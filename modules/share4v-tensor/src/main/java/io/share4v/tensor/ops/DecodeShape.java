package io.share4v.tensor.ops;

/**
 * Dimensions of one KV-cached attention call ({@link Kernels#attentionDecode}): {@code newTokens} query rows per
 * sample at positions {@code past .. past+newTokens-1} attend causally to the first {@code past + newTokens} rows
 * of a key/value cache that holds {@code capacity} rows per sample. {@code scale} is usually {@code 1/sqrt(headDim)}.
 */
public record DecodeShape(int batch, int newTokens, int past, int capacity, int heads, int kvHeads, int headDim,
                          float scale) {
    public DecodeShape {
        if (batch < 1 || newTokens < 1 || past < 0 || heads < 1 || kvHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("decode dims must be >= 1 (past >= 0): batch=" + batch + " newTokens="
                    + newTokens + " past=" + past + " heads=" + heads + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
        if (past + newTokens > capacity) {
            throw new IllegalArgumentException("past (" + past + ") + newTokens (" + newTokens
                    + ") exceeds the cache capacity " + capacity);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads
                    + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
    }

    public static DecodeShape of(int batch, int newTokens, int past, int capacity, int heads, int kvHeads, int headDim) {
        return new DecodeShape(batch, newTokens, past, capacity, heads, kvHeads, headDim, (float) (1.0 / Math.sqrt(headDim)));
    }

    /** Keys visible to every query of this call. */
    public int keys() {
        return past + newTokens;
    }
}
