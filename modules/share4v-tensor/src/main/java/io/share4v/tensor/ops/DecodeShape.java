package io.share4v.tensor.ops;

import java.util.Arrays;

/**
 * Dimensions of one KV-cached attention call ({@link Kernels#attentionDecode}): {@code newTokens} query rows per
 * sample; sample b's rows sit at positions {@code past[b] .. past[b]+newTokens-1} and attend causally to the
 * first {@code past[b] + newTokens} rows of its cache block {@code slot[b]}, which holds {@code capacity} rows.
 * {@code scale} is usually {@code 1/sqrt(headDim)}.
 *
 * <p>Per-sample past lengths let prompts of different lengths decode together with each sample at its own
 * positions (exactly as if it ran alone); per-sample slots let a finished sample drop out of the batch without
 * moving any cache rows. {@link #of} is the uniform case (every sample at {@code past}, slot b = b).
 */
public record DecodeShape(
        int batch,
        int newTokens,
        int[] past,
        int[] slot,
        int capacity,
        int heads,
        int kvHeads,
        int headDim,
        float scale)
        implements HeadLayout {
    public DecodeShape {
        if (batch < 1 || newTokens < 1 || heads < 1 || kvHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("decode dims must be >= 1: batch=" + batch + " newTokens=" + newTokens
                    + " heads=" + heads + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
        if (past == null || past.length != batch || slot == null || slot.length != batch) {
            throw new IllegalArgumentException("decode needs one past length and one cache slot per sample (batch "
                    + batch + "), got past=" + Arrays.toString(past) + " slot=" + Arrays.toString(slot));
        }
        past = past.clone();
        slot = slot.clone();
        for (int b = 0; b < batch; b++) {
            if (past[b] < 0 || past[b] + newTokens > capacity) {
                throw new IllegalArgumentException("sample " + b + ": past (" + past[b] + ") + newTokens (" + newTokens
                        + ") must lie in [0, capacity " + capacity + "]");
            }
            if (slot[b] < 0) {
                throw new IllegalArgumentException("sample " + b + ": cache slot " + slot[b] + " is negative");
            }
        }
        HeadLayout.checkGrouping(heads, kvHeads);
    }

    /** Every sample at the same {@code past}, sample b in cache block b. */
    public static DecodeShape of(
            int batch, int newTokens, int past, int capacity, int heads, int kvHeads, int headDim) {
        int[] pasts = new int[Math.max(batch, 0)];
        Arrays.fill(pasts, past);
        int[] slots = new int[Math.max(batch, 0)];
        Arrays.setAll(slots, b -> b);
        return perSample(newTokens, pasts, slots, capacity, heads, kvHeads, headDim);
    }

    /** Sample b at positions from {@code past[b]}, in cache block {@code slot[b]}; scale {@code 1/sqrt(headDim)}. */
    public static DecodeShape perSample(
            int newTokens, int[] past, int[] slot, int capacity, int heads, int kvHeads, int headDim) {
        return new DecodeShape(past.length, newTokens, past, slot, capacity, heads, kvHeads, headDim, (float)
                (1.0 / Math.sqrt(headDim)));
    }

    /** The same call with another score scale (e.g. 1 when q already carries {@code 1/sqrt(D)}). */
    public DecodeShape withScale(float s) {
        return new DecodeShape(batch, newTokens, past, slot, capacity, heads, kvHeads, headDim, s);
    }

    @Override
    public int[] past() {
        return past.clone();
    }

    @Override
    public int[] slot() {
        return slot.clone();
    }

    /** Past length (position of the first new row) of sample b. */
    public int past(int b) {
        return past[b];
    }

    /** Cache block of sample b: its rows are {@code slot(b)*capacity + position}. */
    public int slot(int b) {
        return slot[b];
    }

    /** Keys visible to the last new query of sample b. */
    public int keys(int b) {
        return past[b] + newTokens;
    }

    /** The largest {@link #keys(int)} over the batch. */
    public int maxKeys() {
        int m = 0;
        for (int p : past) {
            m = Math.max(m, p + newTokens);
        }
        return m;
    }

    /** The largest slot + 1: the cache must hold at least this many blocks of {@code capacity} rows. */
    public int blocks() {
        int m = 0;
        for (int s : slot) {
            m = Math.max(m, s + 1);
        }
        return m;
    }
}
