package io.share4v.eval.score.qbench;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Q-Bench A1 (LLVisionQA) question file with its answers ({@code llvisionqa_dev.json}): a JSON array of
 * {@code {"img_path", "question", "candidates": [2..4 strings], "correct_ans": <the correct candidate string>, ...}}.
 */
public final class QbenchQuestions {
    /** One question's candidates and the correct one (a string, not a letter). */
    public record Question(List<String> candidates, String correctAnswer) {}

    private QbenchQuestions() {}

    /** The questions by answer key ({@code [img_path, question]}), in file order. */
    public static Map<String, Question> read(Path file) {
        JsonNode root = GroundTruthJson.read(file, "the Q-Bench question file (a JSON array)");
        if (!root.isArray()) {
            throw new EvalInputException(file + ": not the Q-Bench question file: not a JSON array");
        }
        Map<String, Question> byKey = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            String imgPath = GroundTruthJson.text(r, "img_path", file, "record " + i);
            String where = "record " + i + " (" + imgPath + ")";
            String question = GroundTruthJson.text(r, "question", file, where);
            List<String> candidates = new ArrayList<>();
            for (JsonNode c : GroundTruthJson.array(r, "candidates", file, where)) {
                if (!c.isTextual()) {
                    throw new EvalInputException(file + ": " + where + ": a candidate is not a string");
                }
                candidates.add(c.textValue());
            }
            String key = QbenchQuestionKey.id(imgPath, question).toString();
            Question q = new Question(List.copyOf(candidates), GroundTruthJson.text(r, "correct_ans", file, where));
            if (byKey.put(key, q) != null) {
                throw new EvalInputException(file + ": " + where + ": the same image and question appear twice");
            }
        }
        return Collections.unmodifiableMap(byKey);
    }
}
