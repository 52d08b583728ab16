package io.share4v.data.text;

/**
 * What to do when the reference's masking arithmetic disagrees with the token count
 * ({@code WARNING: tokenization mismatch: X vs. Y. (ignored)}).
 */
public enum MismatchPolicy {
    /** As the reference: keep the sample with every label set to -100 (it costs compute, adds no loss); count it. */
    KEEP_IGNORED,
    /** Reject the record with {@link io.share4v.data.record.RejectReason#TOKENIZATION_MISMATCH}. */
    REJECT
}
