package io.share4v.eval.score.mme;

import io.share4v.eval.EvalInputException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One subtask's numbers as MME's {@code calculation.py} computes them: acc = correct answers / questions (an answer
 * parsed as "other" is wrong), acc+ = images with both questions right / images, score = 100·acc + 100·acc+.
 *
 * <p>{@code calculation.py} pairs consecutive lines, which are the two questions of one image in every MME file;
 * grouping by image gives the same pairs and does not depend on the lines staying adjacent. An image with other than
 * two questions is an error (the reference asserts pairs), except that a partial score leaves images with one
 * answered question out of acc+.
 *
 * @param questions scored questions
 * @param correct   of those, right
 * @param other     answers that are neither yes nor no
 * @param images    images with both questions scored
 * @param bothRight of those, with both right
 */
public record MmeSubtaskScore(int questions, int correct, int other, int images, int bothRight) {
    /** Percent. */
    public double acc() {
        return 100.0 * correct / questions;
    }

    /** Percent; 0 when no image has both questions scored (only possible in a partial score). */
    public double accPlus() {
        return images == 0 ? 0 : 100.0 * bothRight / images;
    }

    public double score() {
        return acc() + accPlus();
    }

    /** The score of each subtask with rows, in {@link MmeSubtask} order. */
    static Map<MmeSubtask, MmeSubtaskScore> of(List<MmeRow> rows, boolean partial) {
        Map<MmeSubtask, Map<String, List<MmeRow>>> byImage = new EnumMap<>(MmeSubtask.class);
        for (MmeRow r : rows) {
            byImage.computeIfAbsent(r.subtask(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(r.image(), i -> new ArrayList<>())
                    .add(r);
        }
        Map<MmeSubtask, MmeSubtaskScore> scores = new EnumMap<>(MmeSubtask.class);
        byImage.forEach((subtask, images) -> scores.put(subtask, score(subtask, images, partial)));
        return scores;
    }

    private static MmeSubtaskScore score(MmeSubtask subtask, Map<String, List<MmeRow>> images, boolean partial) {
        int questions = 0;
        int correct = 0;
        int other = 0;
        int pairs = 0;
        int bothRight = 0;
        for (Map.Entry<String, List<MmeRow>> image : images.entrySet()) {
            List<MmeRow> qs = image.getValue();
            if (qs.size() > 2 || (qs.size() < 2 && !partial)) {
                throw new EvalInputException(subtask.label() + ": image " + image.getKey() + " has " + qs.size()
                        + " questions; MME scores every image's two questions together (acc+)");
            }
            int right = 0;
            for (MmeRow r : qs) {
                questions++;
                right += r.correct() ? 1 : 0;
                other += MmePrediction.parse(r.answer()) == MmePrediction.OTHER ? 1 : 0;
            }
            correct += right;
            if (qs.size() == 2) {
                pairs++;
                bothRight += right == 2 ? 1 : 0;
            }
        }
        return new MmeSubtaskScore(questions, correct, other, pairs, bothRight);
    }
}
