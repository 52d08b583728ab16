package io.share4v.eval.score.vizwiz;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import io.share4v.eval.score.vqa.VqaAnnotations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VizWiz ground truth in the dataset's format ({@code val.json}, {@code train.json}): a JSON array of
 * {@code {"image", "question", "answers": [{"answer", "answer_confidence"} x10], "answer_type", "answerable"}}, one
 * question per image; {@code unanswerable} is an ordinary answer string. The test split has no answers.
 */
public final class VizWizAnnotations {
    private VizWizAnnotations() {}

    /** The questions by image file name, in file order. */
    public static Map<String, VqaAnnotations.Question> read(Path file) {
        JsonNode root = GroundTruthJson.read(file, "VizWiz annotations (a JSON array)");
        if (!root.isArray()) {
            throw new EvalInputException(file + ": not VizWiz annotations: not a JSON array");
        }
        Map<String, VqaAnnotations.Question> byImage = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode q = root.get(i);
            String image = GroundTruthJson.text(q, "image", file, "record " + i);
            String where = "record " + i + " (" + image + ")";
            List<String> answers = new ArrayList<>();
            for (JsonNode h : GroundTruthJson.array(q, "answers", file, where)) {
                answers.add(GroundTruthJson.text(h, "answer", file, where + ": answers"));
            }
            if (answers.isEmpty()) {
                throw new EvalInputException(file + ": " + where + ": no human answers (a test split?)");
            }
            JsonNode type = q.get("answer_type");
            if (byImage.put(image, new VqaAnnotations.Question(type == null ? null : type.asText(), answers)) != null) {
                throw new EvalInputException(file + ": " + where + ": image repeated");
            }
        }
        return Collections.unmodifiableMap(byImage);
    }
}
