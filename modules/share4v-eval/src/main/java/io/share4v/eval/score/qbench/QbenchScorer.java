package io.share4v.eval.score.qbench;

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
 * Q-Bench A1 (LLVisionQA) dev, scored locally as the ShareGPT4V playground does ({@code format_qbench.py} +
 * {@code qbench_eval.py}, {@link QbenchMatch}); the paper's GPT-assisted matching and the e-mailed test split are not
 * reproduced. {@code --answers} is the runner's output (concatenated records with {@code "response"}),
 * {@code --annotations} the question file with answers ({@code llvisionqa_dev.json}), which the ground truth is read
 * from. An empty response makes the reference script fail; here it is scored wrong and counted.
 *
 * <p>Prints {@code accuracy} (percent, unrounded), {@code correct} and {@code empty_responses}.
 */
public final class QbenchScorer implements Scorer {
    @Override
    public String name() {
        return "qbench";
    }

    @Override
    public AnswerFile readAnswers(Path file) {
        return QbenchAnswers.read(file);
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path file = request.requireAnnotations("the Q-Bench question file with answers (llvisionqa_dev.json)");
        Map<String, QbenchQuestions.Question> truth = QbenchQuestions.read(file);
        AnswerFile answers = request.answers();
        Coverage coverage = Coverage.check(answers, truth.keySet(), file.toString(), request.allowPartial());
        int correct = 0;
        int empty = 0;
        for (Answer a : answers.answers()) {
            QbenchQuestions.Question q = truth.get(a.key());
            if (a.text().isEmpty()) {
                empty++;
            } else if (QbenchMatch.correct(a.text(), q.candidates(), q.correctAnswer())) {
                correct++;
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("accuracy", 100.0 * correct / answers.size());
        out.put("correct", correct);
        out.put("empty_responses", empty);
        coverage.describe(out);
        return out;
    }
}
