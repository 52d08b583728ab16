package io.share4v.eval.score.mme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LLaVA's MME question file ({@code llava_mme.jsonl}: {@code question_id} = the image path, {@code image},
 * {@code text}, {@code category}). Scoring does not need it (the answers carry id and prompt, which is all
 * {@code convert_answer_to_mme.py} reads); given, it checks that the answers are to its questions.
 */
final class MmeQuestionFile {
    private static final JsonMapper JSON = new JsonMapper();

    private MmeQuestionFile() {}

    /** Every answer must be to a question of {@code --questions} (LLaVA's llava_mme.jsonl): same id and text. */
    static void checkAnswers(AnswerFile answers, Path questions) {
        Set<String> known = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(questions, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalInputException("--questions " + questions + ": cannot be read (" + e.getMessage() + ")", e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode q;
            try {
                q = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new EvalInputException(questions + " line " + (i + 1) + ": not valid JSON", e);
            }
            if (q == null || !q.hasNonNull("question_id") || !q.path("text").isTextual()) {
                throw new EvalInputException(questions + " line " + (i + 1)
                        + ": no question_id or text (an MME question file has question_id, image, text, category)");
            }
            known.add(q.get("question_id") + " " + q.get("text").textValue());
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
