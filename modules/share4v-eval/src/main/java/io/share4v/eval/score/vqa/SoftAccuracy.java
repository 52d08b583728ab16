package io.share4v.eval.score.vqa;

import java.util.List;

/**
 * The VQA soft accuracy of one prediction against the human answers (both already normalised): for each human answer
 * left out in turn, min(1, matches among the others / 3), averaged. With ten answers of which m equal the prediction:
 * 0, 0.3, 0.6, 0.9 for m = 0..3 and 1 from m = 4. Summed in the reference's order so the floating-point result is
 * the same.
 */
public final class SoftAccuracy {
    private SoftAccuracy() {}

    public static double of(String prediction, List<String> humanAnswers) {
        int matches = 0;
        for (String a : humanAnswers) {
            if (a.equals(prediction)) {
                matches++;
            }
        }
        double sum = 0;
        for (String leftOut : humanAnswers) {
            int others = matches - (leftOut.equals(prediction) ? 1 : 0);
            sum += Math.min(1.0, others / 3.0);
        }
        return sum / humanAnswers.size();
    }
}
