package io.share4v.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.common.json.JsonFile;
import io.share4v.eval.EvalInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of one evaluation run, read from its output directory: the run's summary, the size of the published
 * row it is compared with, one row per column of the paper's table, and the benchmarks' run summaries.
 *
 * @param dir        the run's output directory
 * @param run        its {@code run.json}
 * @param size       the published row(s) ours is compared with
 * @param rows       one per {@link ReportColumn#ALL}, in that order
 * @param benchmarks the run summaries of the benchmarks run, in {@code run.json}'s order
 */
public record RunReport(Path dir, RunInfo run, PaperSize size, List<ReportRow> rows, List<BenchmarkRun> benchmarks) {
    public RunReport {
        rows = List.copyOf(rows);
        benchmarks = List.copyOf(benchmarks);
    }

    /** Reads the run directory {@code dir}; missing or malformed files are errors naming them. */
    public static RunReport read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new EvalInputException(dir + ": not a directory (expected an evaluation run's output directory)");
        }
        RunInfo run = RunInfo.read(dir.resolve("run.json"));
        Map<String, BenchmarkRun> runs = new LinkedHashMap<>();
        for (String b : run.benchmarks()) {
            runs.put(b, BenchmarkRun.read(dir.resolve(b).resolve("run.json"), b));
        }
        List<ReportRow> rows = new ArrayList<>();
        for (ReportColumn c : ReportColumn.ALL) {
            rows.add(row(c, dir.resolve(c.benchmark()), runs.get(c.benchmark())));
        }
        return new RunReport(dir, run, PaperSize.of(Path.of(run.model())), rows, new ArrayList<>(runs.values()));
    }

    private static ReportRow row(ReportColumn c, Path benchDir, BenchmarkRun run) {
        Double p7 = PaperNumbers.of(ModelSize.SEVEN_B, c);
        Double p13 = PaperNumbers.of(ModelSize.THIRTEEN_B, c);
        if (run == null) {
            return new ReportRow(c, null, p7, p13, RowStatus.ABSENT, null, null);
        }
        Path scoreFile = benchDir.resolve("score.json");
        if (!Files.exists(scoreFile)) {
            String reason = run.scoreError() != null
                    ? run.scoreError()
                    : c.scoring()
                            .withoutScoreReason(
                                    Path.of(c.benchmark(), "answers.jsonl"), Path.of(c.benchmark(), "score.json"));
            return new ReportRow(c, null, p7, p13, c.scoring().withoutScore(), reason, run);
        }
        JsonFile score = ReportFiles.json(scoreFile, "the output of share4v score --benchmark " + c.benchmark());
        String named = score.string("benchmark", c.benchmark());
        if (!named.equals(c.benchmark())) {
            throw new EvalInputException(scoreFile + ": key \"benchmark\" = \"" + named + "\" is not its directory's \""
                    + c.benchmark() + "\"");
        }
        JsonNode value = score.node().get(c.key());
        if (value == null || !(value.isNumber() || value.isNull())) {
            throw new EvalInputException(scoreFile + ": key \"" + c.key() + "\" = " + value
                    + " is invalid: expected a number (the " + c.benchmark() + " scorer's " + c.label()
                    + " number); is this the score of another benchmark?");
        }
        String coverage = "answered " + score.integer("answered") + " of " + score.integer("questions") + " questions";
        if (value.isNull()) {
            return new ReportRow(
                    c,
                    null,
                    p7,
                    p13,
                    RowStatus.NOT_RUN,
                    Path.of(c.benchmark(), "score.json") + ": \"" + c.key() + "\" is null (" + coverage + ")",
                    run);
        }
        if (score.bool("partial", false)) {
            return new ReportRow(c, value.doubleValue(), p7, p13, RowStatus.PARTIAL, "partial score: " + coverage, run);
        }
        return new ReportRow(
                c, value.doubleValue(), p7, p13, RowStatus.SCORED, c.scoring().scoredNote(), run);
    }
}
