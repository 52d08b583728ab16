package io.share4v.eval.score.pope;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One POPE split's labels ({@code coco_pope_<split>.json} in the annotation directory, JSONL with
 * {@code question_id, image, text, label}) scored against the answers.
 *
 * <p>LLaVA's {@code eval_pope.py} pairs the split's answers, in answer-file order, with the labels, in label-file
 * order, by position; that relies on the answer file keeping the question file's order, which keeps the label
 * file's. Here each label is paired with the answer to its own question (same image and question text), which gives
 * the same pairs on such files and cannot mis-pair otherwise. A label that is not {@code no} counts as yes, as there.
 */
final class PopeSplit {
    static final List<String> NAMES = List.of("adversarial", "popular", "random");
    static final String FORMAT = "POPE labels: question_id, image, text, label";

    private PopeSplit() {}

    static Path labelFile(Path annotations, String split) {
        return annotations.resolve("coco_pope_" + split + ".json");
    }

    static PopeCounts score(Path labels, String split, PopeQuestions questions, AnswerFile answers) {
        Map<String, String> questionIds = questions.ofCategory(split);
        List<GroundTruthJson.Line> lines = PopeJsonl.read(labels, FORMAT, "image", "text", "label");
        if (lines.size() != questionIds.size()) {
            throw new EvalInputException(labels + ": " + lines.size() + " labels, but " + questions.file() + " has "
                    + questionIds.size() + " " + split + " questions");
        }
        PopeCounts counts = new PopeCounts(0, 0, 0, 0);
        for (GroundTruthJson.Line label : lines) {
            String id = questionIds.get(PopeQuestions.content(label.text("image"), label.text("text")));
            if (id == null) {
                throw new EvalInputException(label.where() + ": " + questions.file() + " has no " + split
                        + " question on image " + label.text("image") + " asking \"" + label.text("text") + "\"");
            }
            Answer a = answers.get(id);
            if (a != null) { // else unanswered, which coverage allowed (--allow-partial)
                counts = PopeCounts.add(counts, !label.text("label").equals("no"), PopeAnswer.saysYes(a.text()));
            }
        }
        return counts;
    }
}
