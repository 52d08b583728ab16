package io.share4v.eval.score.vqa;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.nio.file.Path;
import java.util.Map;

/**
 * VQAv2 with annotations ({@code --annotations}, the official annotation JSON, e.g. val2014): each answer is first put
 * through the EvalAI answer processor, as LLaVA's {@code convert_vqav2_for_submission.py} does before upload, then
 * scored with the official VQA accuracy the server runs. So the number is what the server would give LLaVA's upload
 * for those questions. Test-dev itself has no public annotations: write the upload with
 * {@link io.share4v.eval.submit.VqaV2Submission}.
 *
 * <p>Prints {@code accuracy} (percent, unrounded) and {@code per_answer_type}.
 */
public final class VqaV2Scorer implements Scorer {
    @Override
    public String name() {
        return "vqav2";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path file = request.requireAnnotations("the VQA annotation JSON (e.g. mscoco_val2014_annotations.json)");
        Map<String, VqaAnnotations.Question> truth = VqaAnnotations.read(file);
        AnswerFile answers = request.answers();
        Coverage coverage = Coverage.check(answers, truth.keySet(), file.toString(), request.allowPartial());
        AccuracyByType accuracy = new AccuracyByType();
        for (Answer a : answers.answers()) {
            VqaAnnotations.Question q = truth.get(a.key());
            accuracy.add(q.answerType(), OfficialVqaAccuracy.of(EvalAiAnswerProcessor.process(a.text()), q.answers()));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        accuracy.describe(out);
        coverage.describe(out);
        return out;
    }
}
