package io.share4v.eval.run;

/**
 * Where one {@link QuestionAnswerer#answer} call's time went.
 *
 * @param questions        answered
 * @param newTokens        generated tokens (EOS included), over all questions
 * @param wallNanos        the whole call
 * @param prefillNanos     the generator's prefills (vision tower, splice, prompt pass)
 * @param decodeNanos      the generator's single-token steps
 * @param imageWaitNanos   time the generation waited for decoded, preprocessed images (with inline decoding: the
 *                         decoding itself)
 * @param promptPositions  the questions' spliced prompt lengths, summed (what one-at-a-time prefills compute)
 * @param prefillPositions what the batched prefills computed: each batch's size x its longest spliced prompt
 *                         (the excess over {@code promptPositions} is padding)
 */
public record AnswerStats(
        int questions,
        long newTokens,
        long wallNanos,
        long prefillNanos,
        long decodeNanos,
        long imageWaitNanos,
        long promptPositions,
        long prefillPositions) {
    public static final AnswerStats NONE = new AnswerStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** Without the position counts (0). */
    public AnswerStats(
            int questions, long newTokens, long wallNanos, long prefillNanos, long decodeNanos, long imageWaitNanos) {
        this(questions, newTokens, wallNanos, prefillNanos, decodeNanos, imageWaitNanos, 0, 0);
    }

    public double questionsPerSecond() {
        return wallNanos == 0 ? Double.NaN : questions / (wallNanos / 1e9);
    }

    public double tokensPerSecond() {
        return wallNanos == 0 ? Double.NaN : newTokens / (wallNanos / 1e9);
    }

    /** Prefill positions computed per prompt position (1 = no padding; NaN without prompts). */
    public double paddingFactor() {
        return promptPositions == 0 ? Double.NaN : prefillPositions / (double) promptPositions;
    }

    public AnswerStats plus(AnswerStats o) {
        return new AnswerStats(
                questions + o.questions,
                newTokens + o.newTokens,
                wallNanos + o.wallNanos,
                prefillNanos + o.prefillNanos,
                decodeNanos + o.decodeNanos,
                imageWaitNanos + o.imageWaitNanos,
                promptPositions + o.promptPositions,
                prefillPositions + o.prefillPositions);
    }
}
