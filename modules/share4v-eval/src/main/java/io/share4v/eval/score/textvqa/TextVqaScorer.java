package io.share4v.eval.score.textvqa;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import io.share4v.eval.score.vqa.EvalAiAnswerProcessor;
import io.share4v.eval.score.vqa.SoftAccuracy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TextVQA val as LLaVA's {@code eval_textvqa.py} scores it ({@code --annotations TextVQA_0.5.1_val.json}): answers
 * matched by (image id, question from the prompt), the prediction and all ten human answers put through the EvalAI
 * answer processor (always, unlike the official VQA evaluation), then the VQA soft accuracy. Prints
 * {@code accuracy} (percent, unrounded; the script prints it to two decimals).
 */
public final class TextVqaScorer implements Scorer {
    @Override
    public String name() {
        return "textvqa";
    }

    /** Answers keyed by (question_id, question recovered from the prompt): the question ids alone repeat. */
    @Override
    public AnswerFile readAnswers(Path file) {
        return AnswerFile.read(file, (line, number) -> {
            Answer a = AnswerFile.LLAVA.answer(line, number);
            if (a.prompt() == null) {
                throw new IllegalArgumentException(
                        "question_id " + a.key() + ": no string \"prompt\" to recover the question from");
            }
            return new Answer(
                    TextVqaQuestionKey.id(a.questionId(), TextVqaQuestionKey.question(a.prompt())),
                    a.prompt(),
                    a.text(),
                    a.line(),
                    a.lineNumber());
        });
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path file = request.requireAnnotations("the TextVQA annotation JSON (TextVQA_0.5.1_val.json)");
        Map<String, List<String>> truth = TextVqaAnnotations.read(file);
        AnswerFile answers = request.answers();
        Coverage coverage = Coverage.check(answers, truth.keySet(), file.toString(), request.allowPartial());
        double sum = 0;
        for (Answer a : answers.answers()) {
            List<String> humans = new ArrayList<>();
            for (String h : truth.get(a.key())) {
                humans.add(EvalAiAnswerProcessor.process(h));
            }
            sum += SoftAccuracy.of(EvalAiAnswerProcessor.process(a.text()), humans);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("accuracy", 100 * sum / answers.size());
        coverage.describe(out);
        return out;
    }
}
