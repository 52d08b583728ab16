package io.share4v.eval.score.pope;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LLaVA's POPE question file ({@code llava_pope_test.jsonl}: {@code question_id, image, text, category}), whose
 * {@code category} names the split a question belongs to. Its {@code text} is POPE's question plus LLaVA's
 * instruction on a new line, so within a split a question is found by its image and first line.
 */
final class PopeQuestions {
    static final String FORMAT = "LLaVA's POPE question file: question_id, image, text, category";

    private final Path file;
    private final List<String> keys = new ArrayList<>();
    private final Map<String, Map<String, String>> byCategoryAndContent = new HashMap<>();

    private PopeQuestions(Path file) {
        this.file = file;
    }

    static PopeQuestions read(Path file) {
        PopeQuestions q = new PopeQuestions(file);
        Map<String, GroundTruthJson.Line> seen = new LinkedHashMap<>();
        for (GroundTruthJson.Line line : PopeJsonl.read(file, FORMAT, "image", "text", "category")) {
            String key = line.node().get("question_id").toString();
            GroundTruthJson.Line first = seen.putIfAbsent(key, line);
            if (first != null) {
                throw new EvalInputException(line.where() + ": question_id " + key + " repeats line " + first.number());
            }
            String category = line.text("category");
            if (!PopeSplit.NAMES.contains(category)) {
                throw new EvalInputException(
                        line.where() + ": category \"" + category + "\" is not one of " + PopeSplit.NAMES);
            }
            String content = content(
                    line.text("image"), line.text("text").lines().findFirst().orElse(""));
            String other = q.byCategoryAndContent
                    .computeIfAbsent(category, c -> new HashMap<>())
                    .putIfAbsent(content, key);
            if (other != null) {
                throw new EvalInputException(
                        line.where() + ": asks what question_id " + other + " asks (" + category + ")");
            }
            q.keys.add(key);
        }
        return q;
    }

    /** What a label and a question of one split have in common. */
    static String content(String image, String question) {
        return image + "\n" + question;
    }

    Path file() {
        return file;
    }

    /** Every question id ({@code Answer#key} form), in file order. */
    List<String> keys() {
        return keys;
    }

    /** The questions of {@code category}: content to question id. */
    Map<String, String> ofCategory(String category) {
        return byCategoryAndContent.getOrDefault(category, Map.of());
    }
}
