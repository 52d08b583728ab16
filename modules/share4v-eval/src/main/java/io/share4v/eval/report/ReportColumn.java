package io.share4v.eval.report;

import java.util.List;

/**
 * The columns of the report, in the order of the ShareGPT4V paper's table, then POPE (not in that table). Each names
 * the scorer ({@code share4v score --benchmark}) whose output holds its number, the output's headline key, the
 * benchmark's maximum (for the chart: percentages are out of 100, MME's sums out of 2000 and 800) and how the
 * published number is obtained.
 *
 * @param label     the column's name in the paper's table
 * @param benchmark the scorer / runner name
 * @param key       the key of the scorer's output that is this column's number
 * @param maximum   the largest possible value (100 for percentages)
 * @param scoring   where the published number comes from
 */
public record ReportColumn(String label, String benchmark, String key, double maximum, Scoring scoring) {
    /** Every column, in the paper's order (MME has two: perception and cognition). */
    public static final List<ReportColumn> ALL = List.of(
            new ReportColumn("LLaVA-Bench-Wild", "llava_bench", "relative_score", 100, Scoring.JUDGE),
            new ReportColumn("MME-perception", "mme", "perception", 2000, Scoring.LOCAL),
            new ReportColumn("MME-cognition", "mme", "cognition", 800, Scoring.LOCAL),
            new ReportColumn("MMBench", "mmbench", "circular_accuracy", 100, Scoring.DEV_OR_UPLOAD),
            new ReportColumn("MMBench-CN", "mmbench_cn", "circular_accuracy", 100, Scoring.DEV_OR_UPLOAD),
            new ReportColumn("SEED-image", "seed", "accuracy", 100, Scoring.LOCAL),
            new ReportColumn("MM-Vet", "mmvet", "total", 100, Scoring.JUDGE),
            new ReportColumn("QBench", "qbench", "accuracy", 100, Scoring.LOCAL),
            new ReportColumn("SQA-image", "sqa", "img_accuracy", 100, Scoring.LOCAL),
            new ReportColumn("VQAv2", "vqav2", "accuracy", 100, Scoring.SERVER),
            new ReportColumn("VizWiz", "vizwiz", "accuracy", 100, Scoring.SERVER),
            new ReportColumn("GQA", "gqa", "accuracy", 100, Scoring.LOCAL),
            new ReportColumn("TextVQA", "textvqa", "accuracy", 100, Scoring.LOCAL),
            new ReportColumn("POPE (F1)", "pope", "f1", 100, Scoring.LOCAL));

    public ReportColumn {
        if (label == null || label.isBlank() || benchmark == null || key == null) {
            throw new IllegalArgumentException("a report column needs a label, a benchmark and a key");
        }
        if (!(maximum > 0)) {
            throw new IllegalArgumentException("column " + label + ": maximum = " + maximum + ", expected > 0");
        }
    }

    /** Whether some column reports {@code benchmark}. */
    public static boolean reports(String benchmark) {
        return ALL.stream().anyMatch(c -> c.benchmark.equals(benchmark));
    }
}
