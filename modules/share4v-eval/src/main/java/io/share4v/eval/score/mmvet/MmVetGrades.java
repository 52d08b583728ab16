package io.share4v.eval.score.mmvet;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored MM-Vet grade file ({@code <model>_gpt-4-grade-<n>runs.json}, written by {@code mm-vet_evaluator.py}): a
 * JSON object keyed {@code v1_<n>}, each {@code {"model": [...], "content": [...], "score": [one 0..1 score a run]}}.
 * Every question must have been graded the same number of times (the evaluator grades until they are).
 *
 * @param scores the scores of each question, one a run, by answer key, in file order
 * @param runs   the number of runs
 */
public record MmVetGrades(Map<String, double[]> scores, int runs) {
    public static MmVetGrades read(Path file) {
        JsonNode root = GroundTruthJson.read(file, "an MM-Vet grade file (JSON keyed v1_<n>)");
        if (!root.isObject() || root.isEmpty()) {
            throw new EvalInputException(file + ": not an MM-Vet grade file: not a non-empty JSON object");
        }
        Map<String, double[]> scores = new LinkedHashMap<>();
        int runs = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = GroundTruthJson.array(e.getValue(), "score", file, e.getKey());
            double[] v = new double[s.size()];
            for (int i = 0; i < v.length; i++) {
                if (!s.get(i).isNumber()) {
                    throw new EvalInputException(file + ": " + e.getKey() + ": score " + i + " is not a number");
                }
                v[i] = s.get(i).doubleValue();
            }
            if (runs < 0) {
                runs = v.length;
            }
            if (v.length != runs || runs == 0) {
                throw new EvalInputException(file + ": " + e.getKey() + " has " + v.length + " graded runs where "
                        + "the first question has " + runs + " (an unfinished grading?)");
            }
            scores.put(MmVetIds.answerKey(e.getKey(), file), v);
        }
        return new MmVetGrades(Collections.unmodifiableMap(scores), runs);
    }
}
