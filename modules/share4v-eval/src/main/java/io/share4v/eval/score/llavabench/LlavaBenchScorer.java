package io.share4v.eval.score.llavabench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * LLaVA-Bench-in-the-Wild from stored GPT-4 reviews ({@code --annotations}, a review jsonl): the judge
 * ({@code gpt-4-0314}, since retired) is not called; the reviews are aggregated as {@code summarize_gpt_review.py}
 * does ({@link ReviewSummary}) overall and per category. The answers must cover the reviewed questions, and where a
 * review names the answer it judged ({@code answer2_id}) it must be the answers file's {@code answer_id}: reviews of
 * another run are refused.
 *
 * <p>Prints {@code judge}, {@code relative_score} (the headline), {@code gpt4_score}, {@code model_score} and
 * {@code categories} ({@code complex}, {@code conv}, {@code detail}: the same three plus {@code reviews}).
 */
public final class LlavaBenchScorer implements Scorer {
    static final String JUDGE = "stored reviews/grades; the GPT-4 judge is not called offline";

    @Override
    public String name() {
        return "llava_bench";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path file = request.requireAnnotations("a stored GPT-4 review file (reviews/<model>-eval1.jsonl)");
        List<GptReviews.Review> all = GptReviews.read(file);
        Set<String> reviewed = new LinkedHashSet<>();
        for (GptReviews.Review r : all) {
            if (!reviewed.add(r.questionKey())) {
                throw new EvalInputException(file + ": question_id " + r.questionKey() + " is reviewed twice");
            }
        }
        AnswerFile answers = request.answers();
        Coverage coverage = Coverage.check(answers, reviewed, file.toString(), request.allowPartial());
        List<GptReviews.Review> scored = new ArrayList<>();
        for (GptReviews.Review r : all) {
            Answer a = answers.get(r.questionKey());
            if (a == null) {
                continue;
            }
            JsonNode answerId = a.line().get("answer_id");
            if (r.answerId() != null && answerId != null && !r.answerId().equals(answerId.asText())) {
                throw new EvalInputException(file + ": the review of question_id " + r.questionKey()
                        + " judged answer " + r.answerId() + ", but " + answers.file() + " line " + a.lineNumber()
                        + " has answer_id " + answerId.asText() + " (reviews of another answers file?)");
            }
            scored.add(r);
        }
        Map<String, List<GptReviews.Review>> byCategory = new TreeMap<>();
        for (GptReviews.Review r : scored) {
            byCategory.computeIfAbsent(r.category(), k -> new ArrayList<>()).add(r);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("judge", JUDGE);
        ReviewSummary.of(scored).describe(out);
        ObjectNode categories = out.putObject("categories");
        byCategory.forEach((category, reviews) -> {
            ReviewSummary s = ReviewSummary.of(reviews);
            ObjectNode c = categories.putObject(category);
            s.describe(c);
            c.put("reviews", s.reviews());
        });
        coverage.describe(out);
        return out;
    }
}
