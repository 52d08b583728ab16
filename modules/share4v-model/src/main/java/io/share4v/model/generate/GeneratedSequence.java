package io.share4v.model.generate;

/**
 * One prompt's continuation: the new token ids (the EOS or stop-string ids included, as HF's output has them),
 * the answer text after the reference's post-processing ({@link AnswerText}; null when there is no tokenizer), and
 * why it stopped.
 */
public record GeneratedSequence(int[] tokenIds, String text, FinishReason finishReason) {
    public GeneratedSequence {
        tokenIds = tokenIds.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }
}
