package io.share4v.data.record;

/**
 * Why a record did not become a training sample. The names are the stable codes written to the rejects
 * ledger ({@code reason} column); add new codes at the end and never rename one.
 */
public enum RejectReason {
    /** The array element is not a JSON object, or a field has the wrong JSON type. */
    MALFORMED_RECORD,
    /** {@code id} or {@code conversations} is absent (or a turn lacks {@code from}/{@code value}). */
    MISSING_FIELD,
    /** {@code conversations} is empty, or nothing is left after dropping a leading non-human turn. */
    EMPTY_CONVERSATION,
    /** Roles do not alternate human/gpt, or a role is neither (the reference asserts and crashes). */
    BAD_ROLES,
    /** The plain (stage-1) template needs exactly two turns with {@code <image>} in the first. */
    PLAIN_NOT_CAPTION_PAIR,
    /** Same id seen earlier in the same dataset. */
    DUPLICATE_ID,
    /** The image file does not exist under the image root. */
    MISSING_IMAGE,
    /** The image path is absolute or escapes the image root ({@code ../}). */
    IMAGE_PATH_ESCAPES_ROOT,
    /** The image file is empty. */
    ZERO_BYTE_IMAGE,
    /** The image could not be decoded (truncated, corrupt, unsupported format). */
    CORRUPT_IMAGE,
    /** The image has more pixels than the configured limit (decompression-bomb guard). */
    IMAGE_TOO_LARGE,
    /** Masking arithmetic disagrees with the token count and the job is configured to reject such records. */
    TOKENIZATION_MISMATCH,
    /** The image reference is present but the record has no {@code <image>} placeholder, or vice versa. */
    IMAGE_PLACEHOLDER_MISMATCH
}
