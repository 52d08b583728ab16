package io.share4v.eval.score.pope;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One POPE split's confusion counts (positive = yes) and the metrics LLaVA's {@code eval_pope.py} prints from them,
 * here in percent. A ratio whose denominator is zero (e.g. precision when the model never says yes), where the
 * reference stops with a division by zero, is null.
 */
public record PopeCounts(int tp, int fp, int tn, int fn) {
    static PopeCounts add(PopeCounts c, boolean truthYes, boolean saysYes) {
        if (saysYes) {
            return truthYes ? new PopeCounts(c.tp + 1, c.fp, c.tn, c.fn) : new PopeCounts(c.tp, c.fp + 1, c.tn, c.fn);
        }
        return truthYes ? new PopeCounts(c.tp, c.fp, c.tn, c.fn + 1) : new PopeCounts(c.tp, c.fp, c.tn + 1, c.fn);
    }

    public int total() {
        return tp + fp + tn + fn;
    }

    public Double precision() {
        return percent(tp, tp + fp);
    }

    public Double recall() {
        return percent(tp, tp + fn);
    }

    public Double f1() {
        Double p = precision();
        Double r = recall();
        return p == null || r == null || p + r == 0 ? null : 2 * p * r / (p + r);
    }

    public Double accuracy() {
        return percent(tp + tn, total());
    }

    /** Answers read as yes / all answers. */
    public Double yesRatio() {
        return percent(tp + fp, total());
    }

    /** {@code {accuracy, precision, recall, f1, yes_ratio, tp, fp, tn, fn}}. */
    void describe(ObjectNode out) {
        out.put("accuracy", accuracy());
        out.put("precision", precision());
        out.put("recall", recall());
        out.put("f1", f1());
        out.put("yes_ratio", yesRatio());
        out.put("tp", tp);
        out.put("fp", fp);
        out.put("tn", tn);
        out.put("fn", fn);
    }

    private static Double percent(int numerator, int denominator) {
        return denominator == 0 ? null : 100.0 * numerator / denominator;
    }
}
