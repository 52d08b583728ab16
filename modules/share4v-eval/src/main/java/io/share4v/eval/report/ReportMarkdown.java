package io.share4v.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.md}: a header (model, checkpoint, commit, dates, config, where the published numbers come from), the
 * results table in the paper's column order and a throughput table. Numbers are shown to one decimal, as the paper
 * prints them; a row without a number shows its status ({@code upload}, {@code judge}, {@code not run}) and why, and a
 * benchmark not in the run a dash.
 */
public final class ReportMarkdown {
    /** Shown for a benchmark that is not part of the run, and for a missing published number. */
    public static final String DASH = "—";

    private ReportMarkdown() {}

    /** The whole document. */
    public static String of(RunReport report) {
        RunInfo run = report.run();
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation report: ").append(run.modelId()).append("\n\n");
        md.append("- Model: `").append(run.model()).append("` (vision tower ");
        md.append(run.visionTower() == null ? "from its config" : "`" + run.visionTower() + "`")
                .append(")\n");
        md.append("- Checkpoint: ").append(run.checkpointText()).append('\n');
        md.append("- Commit: `").append(run.gitCommit()).append("`\n");
        md.append("- Date: ")
                .append(run.started())
                .append(" to ")
                .append(run.finished())
                .append('\n');
        md.append("- Published numbers: ")
                .append(PaperNumbers.SOURCE)
                .append("; compared with ")
                .append(compared(report.size()))
                .append(" (")
                .append(report.size().source())
                .append(")\n\n");
        md.append("## Results\n\n").append(resultsTable(report)).append('\n');
        md.append("## Throughput\n\n").append(throughputTable(report)).append('\n');
        md.append("## Config\n\nThe run's resolved keys (those left null are not listed):\n\n```\n")
                .append(configLines(run.config()))
                .append("```\n");
        return md.toString();
    }

    /** The results table (what {@code share4v report} prints). */
    public static String resultsTable(RunReport report) {
        List<ModelSize> compared = report.size().compared();
        StringBuilder t = new StringBuilder("| Benchmark | Ours | ShareGPT4V-7B | ShareGPT4V-13B |");
        StringBuilder rule = new StringBuilder("|---|---:|---:|---:|");
        for (ModelSize s : compared) {
            t.append(" Ours − ").append(s.label()).append(" |");
            rule.append("---:|");
        }
        t.append(" Notes |\n").append(rule).append("---|\n");
        for (ReportRow r : report.rows()) {
            t.append("| ")
                    .append(r.column().label())
                    .append(" | ")
                    .append(ours(r))
                    .append(" | ")
                    .append(number(r.paper7b()))
                    .append(" | ")
                    .append(number(r.paper13b()))
                    .append(" |");
            for (ModelSize s : compared) {
                Double d = r.difference(s);
                t.append(' ')
                        .append(d == null ? "" : String.format(Locale.ROOT, "%+.1f", d))
                        .append(" |");
            }
            t.append(' ').append(r.reason() == null ? "" : cell(r.reason())).append(" |\n");
        }
        return t.toString();
    }

    /** The run summaries of the benchmarks run. */
    public static String throughputTable(RunReport report) {
        StringBuilder t = new StringBuilder("| Benchmark | Questions | Answered | New tokens | Seconds | Questions/s"
                + " | Tokens/s | Image wait | Chunks | max_new_tokens | Conversation | Images |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (BenchmarkRun b : report.benchmarks()) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %.1f | %s | %s | %s | %d | %d | %s | %s |\n",
                    b.benchmark(),
                    b.questions(),
                    b.answered(),
                    b.newTokens(),
                    b.seconds(),
                    orDash(b.questionsPerSecond(), "%.2f", 1),
                    orDash(b.tokensPerSecond(), "%.1f", 1),
                    orDash(b.imageWaitFraction(), "%.0f%%", 100),
                    b.chunks(),
                    b.maxNewTokens(),
                    cell(b.convMode()),
                    cell(b.imagePolicy())));
        }
        return t.toString();
    }

    private static String ours(ReportRow r) {
        return switch (r.status()) {
            case SCORED -> number(r.ours());
            case PARTIAL -> number(r.ours()) + " (partial)";
            case ABSENT -> DASH;
            default -> r.status().text();
        };
    }

    private static String number(Double v) {
        return v == null ? DASH : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String compared(PaperSize size) {
        return size.size() == null
                ? "both ShareGPT4V-7B and ShareGPT4V-13B"
                : "ShareGPT4V-" + size.size().label();
    }

    /** {@code key=value} for every resolved config key (nested keys dotted), sorted, in code spans. */
    /** The config's keys, dotted and sorted, one {@code key = value} a line; null values left out. */
    static String configLines(JsonNode config) {
        Map<String, String> flat = new TreeMap<>();
        flatten("", config, flat);
        StringBuilder out = new StringBuilder();
        flat.forEach((k, v) -> {
            if (!v.equals("null")) {
                out.append(k).append(" = ").append(v).append('\n');
            }
        });
        return out.length() == 0 ? "(none)\n" : out.toString();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix + e.getKey() + ".", e.getValue(), out);
            }
        } else if (!prefix.isEmpty()) {
            out.put(prefix.substring(0, prefix.length() - 1), node.isTextual() ? node.textValue() : node.toString());
        }
    }

    /** Text safe inside a table cell: no pipes or line breaks. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** {@code value * scale} formatted, or a dash when the run measured nothing (no question answered in it). */
    private static String orDash(Double value, String format, double scale) {
        return value == null ? "—" : String.format(Locale.ROOT, format, value * scale);
    }
}
