package io.share4v.eval.score.gqa;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.nio.file.Path;
import java.util.Map;

/**
 * GQA testdev-balanced as LLaVA scores it: {@code convert_gqa_for_eval.py} ({@link GqaPrediction}), then GQA's
 * {@code eval.py --tier testdev_balanced} in the variant without validity and plausibility (which need files v1.2 does
 * not ship; accuracy does not depend on them): accuracy is the share of balanced questions whose prediction equals
 * the answer exactly. {@code --annotations testdev_balanced_questions.json}. The answers' question ids must be the
 * string ids, as in LLaVA's question file.
 *
 * <p>Prints {@code accuracy}, {@code binary} and {@code open} (percent, unrounded; eval.py prints two decimals).
 */
public final class GqaScorer implements Scorer {
    @Override
    public String name() {
        return "gqa";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path file = request.requireAnnotations("GQA's testdev_balanced_questions.json");
        Map<String, GqaQuestions.Question> truth = GqaQuestions.readBalanced(file);
        AnswerFile answers = request.answers();
        // eval.py raises "missing predictions" for any balanced question without one: Coverage does the same.
        Coverage coverage = Coverage.check(answers, truth.keySet(), file.toString(), request.allowPartial());
        int[] correct = new int[2];
        int[] total = new int[2];
        for (Answer a : answers.answers()) {
            GqaQuestions.Question q = truth.get(a.key());
            int kind = q.open() ? 1 : 0;
            total[kind]++;
            if (GqaPrediction.of(a.text()).equals(q.answer())) {
                correct[kind]++;
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("accuracy", 100.0 * (correct[0] + correct[1]) / (total[0] + total[1]));
        if (total[0] > 0) {
            out.put("binary", 100.0 * correct[0] / total[0]);
        }
        if (total[1] > 0) {
            out.put("open", 100.0 * correct[1] / total[1]);
        }
        coverage.describe(out);
        return out;
    }
}
