package io.share4v.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import java.nio.file.Path;
import java.util.List;

/**
 * The runners over LLaVA's question jsonl ({@code question_id}, {@code image}, {@code text}, optional
 * {@code category}): {@code model_vqa_loader} (POPE, MME, SEED, VQAv2, VizWiz, GQA, TextVQA: the suffix is already in
 * {@code text}; {@link RunnerSettings#loader}) and {@code model_vqa} (LLaVA-Bench, MM-Vet: no suffix;
 * {@link RunnerSettings#vqa}). The user message is {@code "<image>\n" +
 * text}; the answer line is {@code question_id, prompt (= text), text, answer_id, model_id, metadata {}}.
 */
public final class LlavaJsonlRunner implements BenchmarkRunner {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String name;
    private final RunnerSettings settings;

    public LlavaJsonlRunner(String name, RunnerSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunnerSettings settings() {
        return settings;
    }

    @Override
    public List<EvalQuestion> readQuestions(Path file) {
        return QuestionRecords.jsonl(file, "the " + name + " question file (LLaVA jsonl)", (n, index) -> {
            JsonNode id = QuestionRecords.questionId(n, "question_id");
            String text = QuestionRecords.text(n, "text");
            String image = QuestionRecords.text(n, "image");
            if (image.isEmpty()) {
                throw new BadRecords.Problem("question_id " + id + ": \"image\" is empty");
            }
            ObjectNode identity = JSON.objectNode().set("question_id", id);
            ObjectNode record = JSON.objectNode();
            record.set("question_id", id);
            record.put("prompt", text);
            return new EvalQuestion(
                    index, Tokens.IMAGE_TOKEN + "\n" + text, new ImageSource.InFolder(image), identity, record);
        });
    }

    @Override
    public ObjectNode answerLine(EvalQuestion question, String text, String answerId, String modelId) {
        return llavaAnswerLine(question, text, answerId, modelId);
    }

    /**
     * The answer line {@code model_vqa_loader}, {@code model_vqa} and {@code model_vqa_science} write: {@code
     * question_id} and {@code prompt} from the question's record, then {@code text, answer_id, model_id, metadata {}}.
     */
    public static ObjectNode llavaAnswerLine(EvalQuestion question, String text, String answerId, String modelId) {
        ObjectNode line = JSON.objectNode();
        line.set("question_id", question.record().get("question_id"));
        line.set("prompt", question.record().get("prompt"));
        line.put("text", text);
        line.put("answer_id", answerId);
        line.put("model_id", modelId);
        line.set("metadata", JSON.objectNode());
        return line;
    }
}
