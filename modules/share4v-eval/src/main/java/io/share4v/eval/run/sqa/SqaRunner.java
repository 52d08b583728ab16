package io.share4v.eval.run.sqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.eval.run.BadRecords;
import io.share4v.eval.run.BenchmarkRunner;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImageSource;
import io.share4v.eval.run.LlavaJsonlRunner;
import io.share4v.eval.run.QuestionRecords;
import io.share4v.eval.run.RunnerSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * ScienceQA as ShareGPT4V's {@code model_vqa_science --single-pred-prompt} asks it. The question file
 * ({@code llava_test_CQM-A.json}) is a JSON array of {@code {"id", ["image"], "conversations": [{"from": "human",
 * "value"}, ...]}}; the first turn's value, with every {@code <image>} removed and whitespace stripped, is the
 * question. Items with an {@code image} get {@code "<image>\n"} in front and are answered with the image (under
 * {@code images/test/}); the others are answered as text only, with no image line. The suffix
 * {@code "\nAnswer with the option's letter from the given choices directly."} follows in both cases. The answer line's
 * {@code prompt} is that whole message (the scorer counts an item as an image item by its {@code <image>}); its
 * {@code question_id} is {@code id}, a string. Settings: {@link RunnerSettings#vqa} (centre crop, 1024 tokens).
 */
public final class SqaRunner implements BenchmarkRunner {
    /** {@code --single-pred-prompt}'s suffix. */
    public static final String SUFFIX = "\nAnswer with the option's letter from the given choices directly.";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Override
    public String name() {
        return "sqa";
    }

    @Override
    public RunnerSettings settings() {
        return RunnerSettings.vqa();
    }

    @Override
    public List<EvalQuestion> readQuestions(Path file) {
        return QuestionRecords.jsonArray(
                file, "the ScienceQA question file (llava_test_CQM-A.json)", SqaRunner::question);
    }

    private static EvalQuestion question(JsonNode n, int index) {
        JsonNode idNode = n.get("id");
        if (idNode == null || !idNode.isTextual()) {
            throw new BadRecords.Problem("no string \"id\"");
        }
        String id = idNode.textValue();
        JsonNode conversations = n.get("conversations");
        if (conversations == null || !conversations.isArray() || conversations.isEmpty()) {
            throw new BadRecords.Problem("id " + id + ": no \"conversations\" array with a first turn");
        }
        JsonNode first = conversations.get(0);
        if (!first.isObject()
                || first.get("value") == null
                || !first.get("value").isTextual()) {
            throw new BadRecords.Problem("id " + id + ": the first turn has no string \"value\"");
        }
        String question =
                first.get("value").textValue().replace(Tokens.IMAGE_TOKEN, "").strip();
        ImageSource image = null;
        JsonNode imageNode = n.get("image");
        if (imageNode != null) {
            if (!imageNode.isTextual() || imageNode.textValue().isEmpty()) {
                throw new BadRecords.Problem("id " + id + ": \"image\" is not a non-empty string");
            }
            image = new ImageSource.InFolder(imageNode.textValue());
            question = Tokens.IMAGE_TOKEN + "\n" + question;
        }
        String message = question + SUFFIX;
        ObjectNode identity = JSON.objectNode().put("question_id", id);
        ObjectNode record = JSON.objectNode().put("question_id", id).put("prompt", message);
        return new EvalQuestion(index, message, image, identity, record);
    }

    /** {@code question_id, prompt, text, answer_id, model_id, metadata {}}, as {@code model_vqa_science} writes. */
    @Override
    public ObjectNode answerLine(EvalQuestion question, String text, String answerId, String modelId) {
        return LlavaJsonlRunner.llavaAnswerLine(question, text, answerId, modelId);
    }
}
