package io.share4v.eval.score.textvqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TextVQA ground truth ({@code TextVQA_0.5.1_val.json}): {@code {"data": [{"image_id", "question", "answers": [10
 * strings], ...}]}}, indexed by {@link TextVqaQuestionKey} as {@code eval_textvqa.py} does (when two records share a
 * key the later one wins, as in its dict comprehension).
 */
public final class TextVqaAnnotations {
    /** Human answers per question: the reference's evaluator asserts exactly ten. */
    static final int HUMAN_ANSWERS = 10;

    private TextVqaAnnotations() {}

    /** The human answers (raw) by question key. */
    public static Map<String, List<String>> read(Path file) {
        JsonNode data = GroundTruthJson.read(file, "TextVQA annotations (JSON with \"data\")")
                .get("data");
        if (data == null || !data.isArray()) {
            throw new EvalInputException(file + ": not TextVQA annotations: no \"data\" array");
        }
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode r = data.get(i);
            String imageId = GroundTruthJson.text(r, "image_id", file, "data[" + i + "]");
            String where = "data[" + i + "] (image " + imageId + ")";
            String question = GroundTruthJson.text(r, "question", file, where);
            List<String> answers = new ArrayList<>();
            for (JsonNode a : GroundTruthJson.array(r, "answers", file, where)) {
                if (!a.isTextual()) {
                    throw new EvalInputException(file + ": " + where + ": an answer is not a string");
                }
                answers.add(a.textValue());
            }
            if (answers.size() != HUMAN_ANSWERS) {
                throw new EvalInputException(
                        file + ": " + where + ": " + answers.size() + " answers, expected " + HUMAN_ANSWERS);
            }
            byKey.put(TextVqaQuestionKey.of(new TextNode(imageId), question), List.copyOf(answers));
        }
        return Collections.unmodifiableMap(byKey);
    }
}
