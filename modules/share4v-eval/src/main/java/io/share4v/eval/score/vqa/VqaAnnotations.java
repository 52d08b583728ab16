package io.share4v.eval.score.vqa;

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
 * VQAv2 ground truth in the official annotation format ({@code mscoco_val2014_annotations.json}):
 * {@code {"annotations": [{"question_id": int, "answer_type": str, "answers": [{"answer": str, ...} x10], ...}]}}.
 * Only val/train annotations exist publicly; test-dev is scored by the server.
 */
public final class VqaAnnotations {
    /** One question's human answers and its answer type ({@code yes/no}, {@code number}, {@code other}). */
    public record Question(String answerType, List<String> answers) {}

    private VqaAnnotations() {}

    /** The questions by answer key (the integer question id as text), in file order. */
    public static Map<String, Question> read(Path file) {
        JsonNode root = GroundTruthJson.read(file, "VQA annotations (JSON with \"annotations\")");
        JsonNode list = root.get("annotations");
        if (list == null || !list.isArray()) {
            throw new EvalInputException(file + ": not VQA annotations: no \"annotations\" array");
        }
        Map<String, Question> byId = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            String where = "annotations[" + i + "]";
            JsonNode id = a.get("question_id");
            if (id == null || !id.isIntegralNumber()) {
                throw new EvalInputException(file + ": " + where + ": no integer \"question_id\"");
            }
            where += " (question_id " + id + ")";
            List<String> answers = new ArrayList<>();
            for (JsonNode h : GroundTruthJson.array(a, "answers", file, where)) {
                answers.add(GroundTruthJson.text(h, "answer", file, where + ": answers"));
            }
            if (answers.isEmpty()) {
                throw new EvalInputException(file + ": " + where + ": no human answers");
            }
            JsonNode type = a.get("answer_type");
            if (byId.put(id.toString(), new Question(type == null ? null : type.asText(), answers)) != null) {
                throw new EvalInputException(file + ": " + where + ": question id repeated");
            }
        }
        return Collections.unmodifiableMap(byId);
    }
}
