package io.share4v.eval.run;

/**
 * Where one {@link QuestionAnswerer#answer} call's time went.
 *
 * @param questions      answered
 * @param newTokens      generated tokens (EOS included), over all questions
 * @param wallNanos      the whole call
 * @param prefillNanos   the generator's prefills (vision tower, splice, prompt pass)
 * @param decodeNanos    the generator's single-token steps
 * @param imageWaitNanos time the generation waited for decoded, preprocessed images
 */
public record AnswerStats(
        int questions, long newTokens, long wallNanos, long prefillNanos, long decodeNanos, long imageWaitNanos) {
    public static final AnswerStats NONE = new AnswerStats(0, 0, 0, 0, 0, 0);

    public double questionsPerSecond() {
        return wallNanos == 0 ? Double.NaN : questions / (wallNanos / 1e9);
    }

    public double tokensPerSecond() {
        return wallNanos == 0 ? Double.NaN : newTokens / (wallNanos / 1e9);
    }

    public AnswerStats plus(AnswerStats o) {
        return new AnswerStats(
                questions + o.questions,
                newTokens + o.newTokens,
                wallNanos + o.wallNanos,
                prefillNanos + o.prefillNanos,
                decodeNanos + o.decodeNanos,
                imageWaitNanos + o.imageWaitNanos);
    }
}
