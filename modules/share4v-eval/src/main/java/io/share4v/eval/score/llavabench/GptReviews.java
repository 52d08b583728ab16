package io.share4v.eval.score.llavabench;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored GPT-4 review file of LLaVA-Bench-in-the-Wild ({@code eval_gpt_review_bench.py} output, one JSON object a
 * line): {@code question_id}, {@code category} ({@code llava_bench_conv|detail|complex}), {@code answer2_id} (the
 * reviewed model answer) and {@code tuple} [GPT-4's score, the model's score] as the review script parsed them from the
 * judge's first line ([-1, -1] when it could not; the summary averages those in as they are).
 */
public final class GptReviews {
    /** The category prefix the review script writes; categories are reported without it. */
    private static final String PREFIX = "llava_bench_";

    /**
     * One review.
     *
     * @param questionKey the question id in answer-key form
     * @param category    {@code conv}, {@code detail} or {@code complex}
     * @param answerId    {@code answer2_id}: the model answer's {@code answer_id}, or null
     * @param reference   the score of GPT-4's reference answer (assistant 1)
     * @param model       the score of the model's answer (assistant 2)
     */
    public record Review(String questionKey, String category, String answerId, double reference, double model) {}

    private GptReviews() {}

    public static List<Review> read(Path file) {
        List<Review> reviews = new ArrayList<>();
        int line = 0;
        for (JsonNode r : GroundTruthJson.readLines(file, "a GPT-4 review file (jsonl)")) {
            line++;
            JsonNode id = r.get("question_id");
            if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
                throw new EvalInputException(file + ": review " + line + ": no question_id");
            }
            String where = "review of question_id " + id;
            String category = GroundTruthJson.text(r, "category", file, where);
            if (category.startsWith(PREFIX)) {
                category = category.substring(PREFIX.length());
            }
            JsonNode tuple = GroundTruthJson.array(r, "tuple", file, where);
            if (tuple.size() != 2 || !tuple.get(0).isNumber() || !tuple.get(1).isNumber()) {
                throw new EvalInputException(file + ": " + where + ": \"tuple\" is not two numbers: " + tuple);
            }
            JsonNode answerId = r.get("answer2_id");
            reviews.add(new Review(
                    id.toString(),
                    category,
                    answerId != null && answerId.isTextual() ? answerId.textValue() : null,
                    tuple.get(0).doubleValue(),
                    tuple.get(1).doubleValue()));
        }
        return reviews;
    }
}
