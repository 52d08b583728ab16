package io.share4v.eval.score.mme;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * LLaVA's MME question file ({@code llava_mme.jsonl}: {@code question_id} = the image path, {@code image},
 * {@code text}, {@code category}). Scoring does not need it (the answers carry id and prompt, which is all
 * {@code convert_answer_to_mme.py} reads); given, it checks that the answers are to its questions.
 */
final class MmeQuestionFile {
    private MmeQuestionFile() {}

    /** Every answer must be to a question of {@code --questions} (LLaVA's llava_mme.jsonl): same id and text. */
    static void checkAnswers(AnswerFile answers, Path questions) {
        Set<String> known = new HashSet<>();
        for (GroundTruthJson.Line q : GroundTruthJson.readNumberedLines(questions, "an MME question file")) {
            if (!q.node().hasNonNull("question_id") || !q.node().path("text").isTextual()) {
                throw new EvalInputException(q.where()
                        + ": no question_id or text (an MME question file has question_id, image, text, category)");
            }
            known.add(q.node().get("question_id") + " " + q.text("text"));
        }
        for (Answer a : answers.answers()) {
            if (!known.contains(LlavaMmeAnswers.questionId(a) + " " + a.prompt())) {
                throw new EvalInputException(answers.file() + " line " + a.lineNumber() + ": question_id "
                        + LlavaMmeAnswers.questionId(a)
                        + " with this prompt is not a question of " + questions);
            }
        }
    }
}
