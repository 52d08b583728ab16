package io.share4v.eval.score.llavabench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * One line of LLaVA's {@code summarize_gpt_review.py}: the mean score of GPT-4's reference answers and of the model's
 * answers over some reviews, each rounded to 3 decimals; the relative score is the model's mean over GPT-4's, in
 * percent, rounded to 1 decimal (Python {@code round}: half-even on the exact binary value), and the two means are
 * shown on a 0-100 scale (x10).
 *
 * @param relative  the model relative to GPT-4, percent
 * @param reference GPT-4's mean score x10
 * @param model     the model's mean score x10
 * @param reviews   how many reviews
 */
public record ReviewSummary(double relative, double reference, double model, int reviews) {
    public static ReviewSummary of(List<GptReviews.Review> reviews) {
        double reference = 0;
        double model = 0;
        for (GptReviews.Review r : reviews) {
            reference += r.reference();
            model += r.model();
        }
        reference = round(reference / reviews.size(), 3);
        model = round(model / reviews.size(), 3);
        return new ReviewSummary(
                round(model / reference * 100, 1), round(reference * 10, 1), round(model * 10, 1), reviews.size());
    }

    /** Python's {@code round(x, digits)} for a float. */
    static double round(double x, int digits) {
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Adds {@code relative_score}, {@code gpt4_score} and {@code model_score} to {@code out}. */
    void describe(ObjectNode out) {
        out.put("relative_score", relative);
        out.put("gpt4_score", reference);
        out.put("model_score", model);
    }
}
