package io.share4v.eval.score.pope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.nio.file.Path;

/**
 * POPE (COCO, adversarial / popular / random), scored as LLaVA's {@code eval_pope.py}: answers read as yes/no
 * ({@link PopeAnswer}), per split precision, recall, F1, accuracy and yes-ratio ({@link PopeCounts}); LLaVA-1.5
 * reports the mean F1 of the three splits.
 *
 * <p>{@code --questions}: LLaVA's {@code llava_pope_test.jsonl} (its {@code category} is the split);
 * {@code --annotations}: the directory with {@code coco_pope_{adversarial,popular,random}.json}. Prints {@code f1}
 * (mean of the splits' F1) and per split {@code {accuracy, precision, recall, f1, yes_ratio, tp, fp, tn, fn}}, all
 * ratios in percent, plus the coverage keys.
 */
public final class PopeScorer implements Scorer {
    @Override
    public String name() {
        return "pope";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        PopeQuestions questions = PopeQuestions.read(request.requireQuestions(
                "LLaVA's llava_pope_test.jsonl, whose category field gives each question's split"));
        Path annotations = request.requireAnnotations("the directory with POPE's coco_pope_adversarial.json,"
                + " coco_pope_popular.json and coco_pope_random.json");
        Coverage coverage = Coverage.check(
                request.answers(), questions.keys(), questions.file().toString(), request.allowPartial());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putNull("f1");
        double f1Sum = 0;
        boolean f1Defined = true;
        for (String split : PopeSplit.NAMES) {
            PopeCounts counts =
                    PopeSplit.score(PopeSplit.labelFile(annotations, split), split, questions, request.answers());
            counts.describe(out.putObject(split));
            if (counts.f1() == null) {
                f1Defined = false;
            } else {
                f1Sum += counts.f1();
            }
        }
        if (f1Defined) {
            out.put("f1", f1Sum / PopeSplit.NAMES.size());
        }
        coverage.describe(out);
        return out;
    }
}
