package io.share4v.eval.score.sqa;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.Percentages;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.util.ArrayList;
import java.util.List;

/**
 * ScienceQA test, scored as LLaVA's {@code eval_science_qa.py}: each answer's letter ({@link SqaAnswerParser}) must
 * equal the problem's answer letter. The reported SQA-IMG number is the accuracy over the answers whose
 * {@code prompt} contains {@code <image>} (the science runner puts it there for problems with an image), as the
 * script decides it. Ground truth: {@code --annotations} {@code problems.json} (or its directory, with
 * {@code pid_splits.json} beside it), else {@code --questions} {@code llava_test_CQM-A.json}.
 *
 * <p>Keys: {@code img_accuracy} (percent), {@code img_correct}, {@code img_total}, {@code accuracy} (percent, all
 * answered problems), {@code correct}, {@code total}, {@code unparsed} (answers read as FAILED), and the coverage.
 */
public final class SqaScorer implements Scorer {
    private static final String IMAGE_TAG = "<image>";

    @Override
    public String name() {
        return "sqa";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        SqaGroundTruth truth = request.annotations() != null
                ? SqaGroundTruth.fromProblems(request.requireAnnotations("ScienceQA problems.json or its directory"))
                : SqaGroundTruth.fromLlavaQuestions(request.requireQuestions(
                        "llava_test_CQM-A.json (or give --annotations problems.json with pid_splits.json)"));
        List<String> keys = new ArrayList<>();
        for (SqaGroundTruth.Problem p : truth.problems()) {
            keys.add(TextNode.valueOf(p.pid()).toString());
        }
        Coverage coverage = Coverage.check(request.answers(), keys, truth.source(), request.allowPartial());
        int correct = 0;
        int total = 0;
        int imgCorrect = 0;
        int imgTotal = 0;
        int unparsed = 0;
        for (int i = 0; i < keys.size(); i++) {
            Answer a = request.answers().get(keys.get(i));
            if (a == null) {
                continue;
            }
            if (a.prompt() == null) {
                throw new EvalInputException(request.answers().file() + ": line " + a.lineNumber()
                        + ": no \"prompt\" (SQA-IMG counts the answers whose prompt holds " + IMAGE_TAG + ")");
            }
            String letter = SqaAnswerParser.parse(a.text());
            unparsed += letter.equals(SqaAnswerParser.FAILED) ? 1 : 0;
            // the script compares option indices, and a letter beyond the problem's choices gets -1; the answer's
            // index is always within them, so comparing letters is the same
            boolean right = letter.equals(truth.problems().get(i).answer());
            total++;
            correct += right ? 1 : 0;
            if (a.prompt().contains(IMAGE_TAG)) {
                imgTotal++;
                imgCorrect += right ? 1 : 0;
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Percentages.put(out, "img_accuracy", imgCorrect, imgTotal);
        out.put("img_correct", imgCorrect);
        out.put("img_total", imgTotal);
        Percentages.put(out, "accuracy", correct, total);
        out.put("correct", correct);
        out.put("total", total);
        out.put("unparsed", unparsed);
        coverage.describe(out);
        return out;
    }
}
