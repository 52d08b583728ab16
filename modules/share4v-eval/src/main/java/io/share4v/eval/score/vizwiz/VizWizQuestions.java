package io.share4v.eval.score.vizwiz;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LLaVA's VizWiz question file ({@code llava_test.jsonl}: {@code question_id}, {@code image}, {@code text}): the
 * answers carry only the question id, so this maps it to the image the ground truth and the upload are keyed by.
 */
public final class VizWizQuestions {
    private VizWizQuestions() {}

    /** Image file name by answer key ({@link io.share4v.eval.answers.Answer#key} form), in file order. */
    public static Map<String, String> imagesById(Path file) {
        Map<String, String> images = new LinkedHashMap<>();
        int line = 0;
        for (JsonNode q : GroundTruthJson.readLines(file, "a LLaVA question file")) {
            line++;
            JsonNode id = q.get("question_id");
            if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
                throw new EvalInputException(file + ": question " + line + ": no question_id");
            }
            String image = GroundTruthJson.text(q, "image", file, "question_id " + id);
            if (images.put(id.toString(), image) != null) {
                throw new EvalInputException(file + ": question_id " + id + " repeated");
            }
        }
        return Collections.unmodifiableMap(images);
    }
}
