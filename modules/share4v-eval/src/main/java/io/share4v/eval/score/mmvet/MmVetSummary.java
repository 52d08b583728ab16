package io.share4v.eval.score.mmvet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary {@code mm-vet_evaluator.py} exports from a grade file: per run, the total is 100 x the mean score over
 * the questions; {@code total} is the mean over runs and {@code std} their (population) standard deviation;
 * per capability, 100 x the summed scores of the questions having it over their count, averaged over runs; the same
 * per capability integration (the exact set of capabilities a question needs). Rounded to 1 decimal as numpy does
 * ({@code rint(10 x)/10}).
 */
final class MmVetSummary {
    private MmVetSummary() {}

    static void describe(ObjectNode out, List<String> questions, MmVetGrades grades, Map<String, List<String>> caps) {
        double[] totals = scoreOver(questions, grades);
        out.put("total", round1(mean(totals)));
        out.put("std", round1(std(totals)));
        ArrayNode runs = out.putArray("runs");
        for (double t : totals) {
            runs.add(round1(t));
        }
        if (caps == null) {
            return;
        }
        ObjectNode byCapability = out.putObject("capabilities");
        groups(questions, caps, true).forEach((c, qs) -> byCapability.put(c, round1(mean(scoreOver(qs, grades)))));
        ObjectNode byIntegration = out.putObject("capability_integrations");
        groups(questions, caps, false).forEach((c, qs) -> byIntegration.put(c, round1(mean(scoreOver(qs, grades)))));
    }

    /**
     * The questions of each capability ({@code single}) or capability integration (the sorted capabilities joined
     * with "_"; the evaluator joins a Python set, whose order varies between runs), most frequent first as the
     * evaluator orders its columns (ties in order of first appearance).
     */
    private static Map<String, List<String>> groups(
            List<String> questions, Map<String, List<String>> caps, boolean single) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String q : questions) {
            List<String> names = single ? caps.get(q) : List.of(String.join("_", caps.get(q)));
            for (String name : names) {
                groups.computeIfAbsent(name, k -> new ArrayList<>()).add(q);
            }
        }
        List<Map.Entry<String, List<String>>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort(Comparator.comparingInt(
                        (Map.Entry<String, List<String>> e) -> e.getValue().size())
                .reversed());
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** Per run: 100 x the summed scores of {@code questions} over their count. */
    private static double[] scoreOver(List<String> questions, MmVetGrades grades) {
        double[] sums = new double[grades.runs()];
        for (String q : questions) {
            double[] s = grades.scores().get(q);
            for (int i = 0; i < sums.length; i++) {
                sums[i] += s[i];
            }
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] = sums[i] / questions.size() * 100;
        }
        return sums;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    /** numpy's {@code round(x, 1)}. */
    static double round1(double x) {
        return Math.rint(x * 10) / 10;
    }
}
