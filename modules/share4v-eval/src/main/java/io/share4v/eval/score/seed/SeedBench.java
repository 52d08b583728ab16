package io.share4v.eval.score.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * SEED-Bench v1's {@code SEED-Bench.json}: {@code {"questions": [{"question_id": "101669", "answer": "A".."D",
 * "data_type": "image"|"video", "question_type_id": 1..12, ...}], "question_type": {"Scene Understanding": 1, ...}}}.
 * Image questions are dimensions 1-9, video 10-12.
 *
 * @param source     the file read, for messages
 * @param questions  in file order
 * @param dimensions dimension id to name
 */
public record SeedBench(Path source, List<Question> questions, Map<Integer, String> dimensions) {
    private static final JsonMapper JSON = new JsonMapper();
    private static final Pattern PYTHON_INT = Pattern.compile("\\s*[+-]?\\d+\\s*");

    /**
     * One question.
     *
     * @param questionId the id as the file has it (a string)
     * @param answer     the right letter
     * @param image      {@code data_type} is {@code image}
     * @param dimension  {@code question_type_id}
     */
    public record Question(String questionId, String answer, boolean image, int dimension) {
        /**
         * The answers-file id ({@link io.share4v.eval.answers.Answer#key} form) of this question: LLaVA's question
         * file has the id as an integer where {@code int()} parses it, else the string, and
         * {@code convert_seed_for_submission.py} looks answers up the same way.
         */
        public String answerKey() {
            return PYTHON_INT.matcher(questionId).matches()
                    ? new BigInteger(questionId.strip()).toString()
                    : TextNode.valueOf(questionId).toString();
        }
    }

    public static SeedBench read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read as JSON (" + e.getMessage() + ")", e);
        }
        if (!root.path("questions").isArray() || !root.path("question_type").isObject()) {
            throw new EvalInputException(file + ": not SEED-Bench.json (expected \"questions\" and \"question_type\")");
        }
        Map<Integer, String> dimensions = new TreeMap<>();
        root.get("question_type")
                .fields()
                .forEachRemaining(e -> dimensions.put(e.getValue().asInt(), e.getKey()));
        List<Question> questions = new ArrayList<>();
        int i = 0;
        for (JsonNode q : root.get("questions")) {
            JsonNode id = q.path("question_id");
            JsonNode type = q.path("question_type_id");
            String dataType = q.path("data_type").asText();
            if (!(id.isTextual() || id.isIntegralNumber())
                    || !q.path("answer").isTextual()
                    || !type.canConvertToInt()
                    || !(dataType.equals("image") || dataType.equals("video"))) {
                throw new EvalInputException(file + ": questions[" + i + "] lacks question_id, answer, data_type"
                        + " (image or video) or question_type_id");
            }
            questions.add(
                    new Question(id.asText(), q.get("answer").textValue(), dataType.equals("image"), type.intValue()));
            i++;
        }
        return new SeedBench(file, Collections.unmodifiableList(questions), Collections.unmodifiableMap(dimensions));
    }

    /**
     * The questions {@code answers} are to be scored on: the image questions, or every question when the answers
     * include a video question.
     */
    public List<Question> scope(AnswerFile answers) {
        boolean videos = questions.stream().anyMatch(q -> !q.image() && answers.get(q.answerKey()) != null);
        return questions.stream().filter(q -> videos || q.image()).toList();
    }
}
