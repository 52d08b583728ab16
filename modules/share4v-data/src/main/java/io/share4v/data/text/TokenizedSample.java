package io.share4v.data.text;

/**
 * One training sample as the reference's collator hands it to the model, before image expansion.
 *
 * @param id             the record id (null only if the record had none)
 * @param inputIds       token ids, -200 standing for each image, truncated to {@code modelMaxLength}
 * @param labels         same length; -100 where no loss is taken
 * @param mismatch       the masking arithmetic disagreed with the token count (all labels are then -100)
 * @param images         number of -200 placeholders in {@code inputIds} (0 or 1 for accepted records)
 * @param expandedLength the sequence length the LLM sees: {@code inputIds.length - images + images * imageTokens}
 */
public record TokenizedSample(
        String id, int[] inputIds, int[] labels, boolean mismatch, int images, int expandedLength) {
    public TokenizedSample {
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException(
                    "sample " + id + ": " + inputIds.length + " input ids but " + labels.length + " labels");
        }
    }

    /** Number of supervised positions (labels other than -100). */
    public int supervisedTokens() {
        int n = 0;
        for (int l : labels) {
            if (l != io.share4v.data.Tokens.IGNORE_INDEX) {
                n++;
            }
        }
        return n;
    }
}
