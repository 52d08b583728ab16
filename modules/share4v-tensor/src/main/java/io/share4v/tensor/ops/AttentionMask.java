package io.share4v.tensor.ops;

import java.util.Arrays;

/**
 * Which keys of a padded batch exist, as the batch's data says: {@link #none()} (every key), right padding
 * ({@link #validLength}: keys at or beyond sample b's length are padding) and single hidden keys
 * ({@link #keyValid}: key j of sample b is attendable only if {@code keyValid[b*seq + j]}, as the reference's
 * padding mask {@code input_ids != pad} also hides a literal pad id in the middle of a text). The two combine: a
 * key is visible only if both allow it.
 *
 * <p>Causality is not part of the mask: it is a property of the architecture (LLaMA's decoder is causal, CLIP's
 * vision tower is not), so {@link AttentionShape} carries it next to the head layout, while the mask comes from
 * the batch (e.g. the splice plan) whose code knows nothing about the model. The mask does not know the batch
 * and sequence sizes either; {@link AttentionShape} checks it against them once, when the shape is built.
 */
public final class AttentionMask {
    private static final AttentionMask NONE = new AttentionMask(null, null);

    private final int[] validLength; // [B]; null when no sample is right-padded
    private final boolean[] keyValid; // [B*T]; null when no single key is hidden

    private AttentionMask(int[] validLength, boolean[] keyValid) {
        this.validLength = validLength;
        this.keyValid = keyValid;
    }

    /** Every key is visible. */
    public static AttentionMask none() {
        return NONE;
    }

    /** Right padding: sample b's keys at positions {@code >= lengths[b]} are hidden. */
    public static AttentionMask validLength(int... lengths) {
        return NONE.andValidLength(lengths);
    }

    /** Single keys: key j of sample b is visible only if {@code valid[b*seq + j]}. */
    public static AttentionMask keyValid(boolean[] valid) {
        return NONE.andKeyValid(valid);
    }

    /** This mask with right padding as well (replacing any earlier lengths). */
    public AttentionMask andValidLength(int[] lengths) {
        return new AttentionMask(lengths.clone(), keyValid);
    }

    /** This mask with single hidden keys as well (replacing any earlier per-key flags). */
    public AttentionMask andKeyValid(boolean[] valid) {
        return new AttentionMask(validLength, valid.clone());
    }

    /** Sample b's keys at positions {@code >= keyEnd(b, seq)} are right padding ({@code seq} without padding). */
    public int keyEnd(int b, int seq) {
        return validLength == null ? seq : validLength[b];
    }

    /** Whether key j of sample b survives the per-key flags (right padding aside). */
    public boolean keyValid(int b, int seq, int j) {
        return keyValid == null || keyValid[b * seq + j];
    }

    /**
     * The per-key flags {@code [B*T]} for the kernels' softmax loops, which read them as a plain array; null when
     * no single key is hidden, so that those loops skip the per-key test. Not a copy: read only (public for the
     * kernels of the backend modules).
     */
    public boolean[] keyFlags() {
        return keyValid;
    }

    /** Throws unless the mask's arrays fit {@code batch} samples of {@code seq} positions. */
    void checkFits(int batch, int seq) {
        if (validLength != null) {
            if (validLength.length != batch) {
                throw new IllegalArgumentException(
                        "validLength has " + validLength.length + " entries for batch " + batch);
            }
            for (int b = 0; b < batch; b++) {
                if (validLength[b] < 0 || validLength[b] > seq) {
                    throw new IllegalArgumentException(
                            "validLength[" + b + "] = " + validLength[b] + " outside [0, " + seq + "]");
                }
            }
        }
        if (keyValid != null && keyValid.length != (long) batch * seq) {
            throw new IllegalArgumentException(
                    "keyValid has " + keyValid.length + " entries; expected batch*seq = " + (long) batch * seq);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionMask m
                && Arrays.equals(validLength, m.validLength)
                && Arrays.equals(keyValid, m.keyValid);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(validLength) + Arrays.hashCode(keyValid);
    }

    @Override
    public String toString() {
        return "AttentionMask[validLength=" + Arrays.toString(validLength) + ", keyValid="
                + (keyValid == null ? "all" : keyValid.length + " flags") + "]";
    }
}
