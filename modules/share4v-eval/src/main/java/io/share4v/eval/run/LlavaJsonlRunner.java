package io.share4v.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runners over LLaVA's question jsonl ({@code question_id}, {@code image}, {@code text}, optional
 * {@code category}): {@code model_vqa_loader} (POPE, MME, SEED, VQAv2, VizWiz, GQA, TextVQA: the suffix is already in
 * {@code text}) and {@code model_vqa} (LLaVA-Bench, MM-Vet: no suffix). The user message is {@code "<image>\n" +
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
        List<EvalQuestion> out = new ArrayList<>();
        for (GroundTruthJson.Line line : GroundTruthJson.readNumberedLines(file, name + " question file")) {
            JsonNode n = line.node();
            JsonNode id = n.get("question_id");
            if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
                throw new EvalInputException(line.where() + ": no question_id (a string or an integer)");
            }
            String where = "line " + line.number();
            String text = GroundTruthJson.text(n, "text", file, where);
            String image = GroundTruthJson.text(n, "image", file, where);
            ObjectNode identity = JSON.objectNode().set("question_id", id);
            ObjectNode record = JSON.objectNode();
            record.set("question_id", id);
            record.put("prompt", text);
            out.add(new EvalQuestion(
                    out.size(), Tokens.IMAGE_TOKEN + "\n" + text, new ImageSource.InFolder(image), identity, record));
        }
        return out;
    }

    @Override
    public ObjectNode answerLine(EvalQuestion question, String text, String answerId, String modelId) {
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
