package io.share4v.eval.score.vizwiz;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import io.share4v.eval.score.vqa.AccuracyByType;
import io.share4v.eval.score.vqa.EvalAiAnswerProcessor;
import io.share4v.eval.score.vqa.OfficialVqaAccuracy;
import io.share4v.eval.score.vqa.VqaAnnotations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * VizWiz where answers are public (val): {@code --questions} the LLaVA question file (question id to image),
 * {@code --annotations} the VizWiz annotation JSON. Each answer goes through the EvalAI answer processor as LLaVA's
 * {@code convert_vizwiz_for_submission.py} does, then gets the VQA soft accuracy against the ten crowd answers, which
 * is the metric the VizWiz challenge describes. The test split is server-scored: write the upload with
 * {@link io.share4v.eval.submit.VizWizSubmission}.
 *
 * <p>Prints {@code accuracy} (percent, unrounded) and {@code per_answer_type} ({@code other}, {@code yes/no},
 * {@code number}, {@code unanswerable}).
 */
public final class VizWizScorer implements Scorer {
    @Override
    public String name() {
        return "vizwiz";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path questionFile = request.requireQuestions("the LLaVA question file (question_id to image)");
        Path annotationFile = request.requireAnnotations("the VizWiz annotation JSON (e.g. val.json)");
        Map<String, String> images = VizWizQuestions.imagesById(questionFile);
        Map<String, VqaAnnotations.Question> truth = VizWizAnnotations.read(annotationFile);
        List<String> unannotated = new ArrayList<>();
        images.forEach((id, image) -> {
            if (!truth.containsKey(image)) {
                unannotated.add(image);
            }
        });
        if (!unannotated.isEmpty()) {
            throw new EvalInputException(annotationFile + ": " + unannotated.size() + " of " + images.size()
                    + " images of " + questionFile + " have no annotation, e.g. "
                    + String.join(", ", unannotated.subList(0, Math.min(5, unannotated.size()))));
        }
        AnswerFile answers = request.answers();
        Coverage coverage = Coverage.check(answers, images.keySet(), questionFile.toString(), request.allowPartial());
        AccuracyByType accuracy = new AccuracyByType();
        for (Answer a : answers.answers()) {
            VqaAnnotations.Question q = truth.get(images.get(a.key()));
            accuracy.add(q.answerType(), OfficialVqaAccuracy.of(EvalAiAnswerProcessor.process(a.text()), q.answers()));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        accuracy.describe(out);
        coverage.describe(out);
        return out;
    }
}
