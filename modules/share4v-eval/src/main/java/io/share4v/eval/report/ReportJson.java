package io.share4v.eval.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * {@code report.json}: the run's identity ({@code model_id}, {@code model}, {@code vision_tower}, {@code checkpoint},
 * {@code git_commit}, {@code config}, {@code started}, {@code finished}), where the published numbers come from
 * ({@code paper_source}) and which size they are compared with ({@code paper_size}: {@code "7B"}, {@code "13B"} or
 * null for both, {@code paper_size_source}), the {@code rows} of the paper's table and the benchmarks'
 * {@code throughput}.
 *
 * <p>A row: {@code benchmark}, {@code column}, {@code ours} (unrounded, or null), {@code paper_7b},
 * {@code paper_13b}, {@code difference_7b} and/or {@code difference_13b} (ours minus the published number of each
 * compared size, null without both), {@code status} ({@link RowStatus#text}), {@code reason} (when there is one),
 * {@code questions}, {@code answered}, {@code questions_per_second}, {@code tokens_per_second} (null when not run).
 */
public final class ReportJson {
    private ReportJson() {}

    public static ObjectNode of(RunReport report) {
        RunInfo run = report.run();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("model_id", run.modelId());
        out.put("model", run.model());
        out.put("vision_tower", run.visionTower());
        out.set("checkpoint", run.checkpoint());
        out.put("git_commit", run.gitCommit());
        out.set("config", run.config());
        out.put("started", run.started());
        out.put("finished", run.finished());
        out.put("paper_source", PaperNumbers.SOURCE);
        out.put(
                "paper_size",
                report.size().size() == null ? null : report.size().size().label());
        out.put("paper_size_source", report.size().source());
        ArrayNode rows = out.putArray("rows");
        for (ReportRow r : report.rows()) {
            ObjectNode row = rows.addObject();
            row.put("benchmark", r.column().benchmark());
            row.put("column", r.column().label());
            row.put("ours", r.ours());
            row.put("paper_7b", r.paper7b());
            row.put("paper_13b", r.paper13b());
            for (ModelSize s : report.size().compared()) {
                row.put("difference_" + s.label().toLowerCase(Locale.ROOT), r.difference(s));
            }
            row.put("status", r.status().text());
            if (r.reason() != null) {
                row.put("reason", r.reason());
            }
            BenchmarkRun b = r.run();
            row.put("questions", b == null ? null : b.questions());
            row.put("answered", b == null ? null : b.answered());
            row.put("questions_per_second", b == null ? null : b.questionsPerSecond());
            row.put("tokens_per_second", b == null ? null : b.tokensPerSecond());
        }
        ArrayNode throughput = out.putArray("throughput");
        for (BenchmarkRun b : report.benchmarks()) {
            throughput
                    .addObject()
                    .put("benchmark", b.benchmark())
                    .put("questions", b.questions())
                    .put("answered", b.answered())
                    .put("new_tokens", b.newTokens())
                    .put("seconds", b.seconds())
                    .put("questions_per_second", b.questionsPerSecond())
                    .put("tokens_per_second", b.tokensPerSecond())
                    .put("image_wait_fraction", b.imageWaitFraction())
                    .put("chunks", b.chunks())
                    .put("max_new_tokens", b.maxNewTokens())
                    .put("conv_mode", b.convMode())
                    .put("image_policy", b.imagePolicy());
        }
        return out;
    }
}
