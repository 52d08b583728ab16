package io.share4v.eval.score.gqa;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GQA questions with answers ({@code testdev_balanced_questions.json}, v1.2): a JSON object keyed by question id,
 * each {@code {"answer", "isBalanced", "types": {"structural", ...}, ...}}. Only balanced questions are scored.
 */
public final class GqaQuestions {
    /**
     * One balanced question.
     *
     * @param answer the answer, compared exactly
     * @param open   whether it is an open question (structural type {@code query}) rather than a binary one
     */
    public record Question(String answer, boolean open) {}

    private GqaQuestions() {}

    /** The balanced questions by answer key (the id as a JSON string), in file order. */
    public static Map<String, Question> readBalanced(Path file) {
        JsonNode root = GroundTruthJson.read(file, "GQA questions (a JSON object keyed by question id)");
        if (!root.isObject()) {
            throw new EvalInputException(file + ": not GQA questions: not a JSON object keyed by question id");
        }
        Map<String, Question> balanced = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "question " + e.getKey();
            JsonNode q = e.getValue();
            JsonNode isBalanced = q.get("isBalanced");
            if (isBalanced == null || !isBalanced.isBoolean()) {
                throw new EvalInputException(file + ": " + where + ": no boolean \"isBalanced\"");
            }
            if (!isBalanced.booleanValue()) {
                continue;
            }
            JsonNode types = q.get("types");
            if (types == null || !types.isObject()) {
                throw new EvalInputException(file + ": " + where + ": no \"types\" object");
            }
            String structural = GroundTruthJson.text(types, "structural", file, where + ": types");
            balanced.put(
                    GroundTruthJson.stringKey(e.getKey()),
                    new Question(GroundTruthJson.text(q, "answer", file, where), structural.equals("query")));
        }
        return Collections.unmodifiableMap(balanced);
    }
}
