package io.share4v.eval.run.qbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.eval.run.BadRecords;
import io.share4v.eval.run.BenchmarkRunner;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImageSource;
import io.share4v.eval.run.QuestionRecords;
import io.share4v.eval.run.RunnerSettings;
import io.share4v.eval.score.qbench.QbenchQuestionKey;
import java.nio.file.Path;
import java.util.List;

/**
 * Q-Bench A1 (LLVisionQA, English) as ShareGPT4V's {@code model_vqa_qbench} asks it. The question file
 * ({@code llvisionqa_dev.json}) is a JSON array of {@code {"img_path", "question", "candidates", "correct_ans", ...}};
 * the message is {@code "<image>\n"} + question + {@code "\nChoose between one of the options as follows:\n"} +
 * {@code "A. cand\n"}, {@code "B. cand\n"}, ... (the reference zips the candidates with {@code A.}..{@code D.}, so a
 * fifth candidate would be left out; the message ends with a newline). The image is {@code img_path} under the image
 * folder ({@code images_llvisionqa/}). Settings: {@link RunnerSettings#qbench} ({@code share4v_v1}, centre crop,
 * 1024 tokens).
 *
 * <p>The answer is the question record with {@code "response"} added, which {@code QbenchAnswers} reads. The reference
 * appends the records with no separator; here each is one line, what the reference's {@code format_qbench.py} turns
 * its output into. A question is identified by {@code img_path} and {@code question} (the file has no id).
 *
 * <p>Not reproduced: the reference loads the model in 8 bit ({@code load_8bit=True}); this runner uses the model as
 * loaded, so answers can differ from the reference's where 8-bit rounding changes a greedy choice.
 */
public final class QbenchRunner implements BenchmarkRunner {
    static final String CHOOSE = "\nChoose between one of the options as follows:\n";
    private static final List<String> LETTERS = List.of("A.", "B.", "C.", "D.");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Override
    public String name() {
        return "qbench";
    }

    @Override
    public RunnerSettings settings() {
        return RunnerSettings.qbench();
    }

    @Override
    public List<EvalQuestion> readQuestions(Path file) {
        return QuestionRecords.jsonArray(
                file, "the Q-Bench question file (llvisionqa_dev.json)", QbenchRunner::question);
    }

    private static EvalQuestion question(JsonNode n, int index) {
        String imgPath = QuestionRecords.text(n, "img_path");
        if (imgPath.isEmpty()) {
            throw new BadRecords.Problem("\"img_path\" is empty");
        }
        String question = QuestionRecords.text(n, "question");
        JsonNode candidates = n.get("candidates");
        if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
            throw new BadRecords.Problem(imgPath + ": no \"candidates\" array");
        }
        StringBuilder message = new StringBuilder(Tokens.IMAGE_TOKEN)
                .append('\n')
                .append(question)
                .append(CHOOSE);
        for (int i = 0; i < Math.min(LETTERS.size(), candidates.size()); i++) {
            JsonNode c = candidates.get(i);
            if (!c.isTextual()) {
                throw new BadRecords.Problem(imgPath + ": candidate " + i + " is not a string");
            }
            message.append(LETTERS.get(i)).append(' ').append(c.textValue()).append('\n');
        }
        ObjectNode identity = JSON.objectNode().put("img_path", imgPath).put("question", question);
        return new EvalQuestion(
                index, message.toString(), new ImageSource.InFolder(imgPath), identity, ((ObjectNode) n).deepCopy());
    }

    /** The question record with {@code "response"} added ({@code answerId} and {@code modelId} are not written). */
    @Override
    public ObjectNode answerLine(EvalQuestion question, String text, String answerId, String modelId) {
        ObjectNode line = question.record().deepCopy();
        line.put("response", text);
        return line;
    }

    /** The answer key {@code QbenchAnswers} gives this question's answer ({@code [img_path, question]}). */
    public static String answerKey(EvalQuestion question) {
        return QbenchQuestionKey.id(
                        question.identity().get("img_path").textValue(),
                        question.identity().get("question").textValue())
                .toString();
    }
}
