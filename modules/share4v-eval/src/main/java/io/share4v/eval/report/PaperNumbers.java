package io.share4v.eval.report;

import java.util.List;
import java.util.Map;

/**
 * The published ShareGPT4V numbers the report puts beside ours. Source: ShareGPT4V's model zoo (the ShareGPT4V
 * project's {@code docs/ModelZoo.md} and README table in InternLM/InternLM-XComposer, {@code projects/ShareGPT4V}),
 * rows ShareGPT4V-7B and ShareGPT4V-13B, in the paper's column order: LLaVA-Bench-Wild, MME-perception,
 * MME-cognition, MMBench, MMBench-CN, SEED-image, MM-Vet, QBench, SQA-image, VQAv2, VizWiz, GQA, TextVQA. POPE is not
 * in that table: no published number.
 */
public final class PaperNumbers {
    /** Where the numbers come from, as the report states it. */
    public static final String SOURCE = "ShareGPT4V model zoo (InternLM-XComposer, projects/ShareGPT4V)";

    private static final List<String> ORDER = List.of(
            "LLaVA-Bench-Wild",
            "MME-perception",
            "MME-cognition",
            "MMBench",
            "MMBench-CN",
            "SEED-image",
            "MM-Vet",
            "QBench",
            "SQA-image",
            "VQAv2",
            "VizWiz",
            "GQA",
            "TextVQA");
    private static final double[] SEVEN_B = {
        72.6, 1567.4, 376.4, 68.8, 62.2, 69.7, 37.6, 63.4, 68.4, 80.6, 57.2, 63.3, 60.4
    };
    private static final double[] THIRTEEN_B = {
        79.9, 1618.7, 303.2, 68.5, 63.7, 70.8, 43.1, 65.2, 71.2, 81.0, 55.6, 64.8, 62.2
    };
    private static final Map<ModelSize, double[]> BY_SIZE =
            Map.of(ModelSize.SEVEN_B, SEVEN_B, ModelSize.THIRTEEN_B, THIRTEEN_B);

    private PaperNumbers() {}

    /** The published number of {@code size} for {@code column}, or null when the table has no such column (POPE). */
    public static Double of(ModelSize size, ReportColumn column) {
        int i = ORDER.indexOf(column.label());
        return i < 0 ? null : BY_SIZE.get(size)[i];
    }
}
