package io.share4v.eval.score.mme;

/**
 * One scored MME question: the line {@code calculation.py} reads ({@code image \t question \t ground truth \t
 * answer}).
 *
 * @param subtask  its subtask
 * @param image    the image it is about (its two questions are scored together for acc+)
 * @param question the MME question, for messages
 * @param truthYes the ground truth is "Yes"
 * @param answer   the model's answer as written
 */
public record MmeRow(MmeSubtask subtask, String image, String question, boolean truthYes, String answer) {
    /** {@code calculation.py}: the parsed answer equals the ground truth; "other" is always wrong. */
    public boolean correct() {
        return MmePrediction.parse(answer) == (truthYes ? MmePrediction.YES : MmePrediction.NO);
    }
}
