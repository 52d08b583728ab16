package io.share4v.eval.score.vqa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** Per-question accuracies summed overall and per answer type, reported in percent as the VQA evaluation does. */
public final class AccuracyByType {
    private double sum;
    private int count;
    private final Map<String, double[]> byType = new TreeMap<>();

    /** Adds one question's accuracy (0..1) under {@code answerType} (null: no type). */
    public void add(String answerType, double accuracy) {
        sum += accuracy;
        count++;
        if (answerType != null) {
            double[] t = byType.computeIfAbsent(answerType, k -> new double[2]);
            t[0] += accuracy;
            t[1]++;
        }
    }

    /** Overall accuracy in percent, unrounded. */
    public double percent() {
        return 100 * sum / count;
    }

    /** Adds {@code "accuracy"} and, when answer types were given, {@code "per_answer_type": {type: percent}}. */
    public void describe(ObjectNode out) {
        out.put("accuracy", percent());
        if (!byType.isEmpty()) {
            ObjectNode types = out.putObject("per_answer_type");
            byType.forEach((type, t) -> types.put(type, 100 * t[0] / t[1]));
        }
    }
}
