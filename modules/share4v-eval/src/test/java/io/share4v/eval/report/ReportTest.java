package io.share4v.eval.report;

import static io.share4v.eval.score.ScorerHarness.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.Expected;
import io.share4v.eval.score.Scorers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a run directory whose scores are the real scorers' output on the committed excerpts (POPE, MME, a
 * partial ScienceQA), with benchmarks that are server-scored (VQAv2: upload), judged (LLaVA-Bench: judge), failed to
 * score (GQA: not run) or not run at all.
 */
class ReportTest {
    private static final double POPE_F1 = Expected.of("pope").get("f1").doubleValue();
    private static final JsonNode MME = Expected.of("mme").get("llava-v1.5-13b.jsonl");

    @TempDir
    Path tmp;

    private RunDirectory sevenBRun() throws IOException {
        RunDirectory run = new RunDirectory(tmp.resolve("out"))
                .run(
                        RunDirectory.model(tmp.resolve("model"), 4096),
                        List.of("pope", "mme", "vqav2", "llava_bench", "gqa", "sqa"))
                .pope()
                .mme()
                .benchmarkRun("vqav2", 4, 4, null)
                .benchmarkRun("llava_bench", 60, 60, null)
                .benchmarkRun("gqa", 12578, 12578, "GQA needs --annotations testdev_balanced_questions.json: not given")
                .benchmarkRun("sqa", 36, 18, null);
        Path half = Files.write(
                tmp.resolve("sqa-half.jsonl"),
                Files.readAllLines(resource("sqa/llava-v1.5-13b.excerpt.jsonl")).subList(0, 18));
        return run.scored("sqa", half, resource("sqa/llava_test_CQM-A.excerpt.json"), null, true);
    }

    private static JsonNode row(JsonNode report, String column) {
        for (JsonNode r : report.get("rows")) {
            if (r.get("column").asText().equals(column)) {
                return r;
            }
        }
        throw new AssertionError("no row " + column);
    }

    @Test
    void reportJsonHasThePapersColumnsWithOurHeadlineNumbersAndTheStatuses() throws IOException {
        RunDirectory run = sevenBRun();
        Reports.write(run.dir());
        JsonNode report =
                RunDirectory.JSON.readTree(run.dir().resolve("report.json").toFile());

        List<String> columns = new ArrayList<>();
        report.get("rows").forEach(r -> columns.add(r.get("column").asText()));
        assertEquals(
                List.of(
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
                        "TextVQA",
                        "POPE (F1)"),
                columns);
        assertEquals("share4v-7b-test", report.get("model_id").asText());
        assertEquals(5000, report.get("checkpoint").intValue());
        assertEquals(
                "0431a67aa1b2c3d4e5f60718293a4b5c6d7e8f90",
                report.get("git_commit").asText());
        assertEquals("local[2]", report.at("/config/spark/master").asText());
        assertEquals("7B", report.get("paper_size").asText());
        assertTrue(report.get("paper_size_source").asText().contains("hidden_size 4096"));

        JsonNode perception = row(report, "MME-perception");
        assertEquals("mme", perception.get("benchmark").asText());
        assertEquals(MME.get("perception").doubleValue(), perception.get("ours").doubleValue(), 1e-9);
        assertEquals(1567.4, perception.get("paper_7b").doubleValue());
        assertEquals(1618.7, perception.get("paper_13b").doubleValue());
        assertEquals(
                MME.get("perception").doubleValue() - 1567.4,
                perception.get("difference_7b").doubleValue(),
                1e-9);
        assertFalse(perception.has("difference_13b"), "the size is known: one difference");
        assertEquals("scored", perception.get("status").asText());
        assertFalse(perception.has("reason"));
        assertEquals(64, perception.get("questions").intValue());
        assertEquals(64 / 12.5, perception.get("questions_per_second").doubleValue(), 1e-12);
        JsonNode cognition = row(report, "MME-cognition");
        assertEquals(MME.get("cognition").doubleValue(), cognition.get("ours").doubleValue(), 1e-9);
        assertEquals(376.4, cognition.get("paper_7b").doubleValue());
        assertEquals(303.2, cognition.get("paper_13b").doubleValue());

        JsonNode pope = row(report, "POPE (F1)");
        assertEquals(POPE_F1, pope.get("ours").doubleValue(), 1e-9);
        assertTrue(pope.get("paper_7b").isNull() && pope.get("paper_13b").isNull());
        assertTrue(pope.get("difference_7b").isNull());
        assertEquals("scored", pope.get("status").asText());

        JsonNode sqa = row(report, "SQA-image");
        assertEquals("partial", sqa.get("status").asText());
        assertTrue(sqa.get("ours").isNumber());
        assertEquals(
                "partial score: answered 18 of 36 questions", sqa.get("reason").asText());
        assertEquals(68.4, sqa.get("paper_7b").doubleValue());

        JsonNode vqav2 = row(report, "VQAv2");
        assertEquals("upload", vqav2.get("status").asText());
        assertTrue(vqav2.get("ours").isNull());
        assertTrue(vqav2.get("reason").asText().contains("upload the submission"), vqav2.toString());
        assertEquals(80.6, vqav2.get("paper_7b").doubleValue());

        JsonNode wild = row(report, "LLaVA-Bench-Wild");
        assertEquals("judge", wild.get("status").asText());
        assertTrue(wild.get("reason").asText().contains("GPT-4 judge cannot be called offline"), wild.toString());

        JsonNode gqa = row(report, "GQA");
        assertEquals("not run", gqa.get("status").asText());
        assertEquals(
                "GQA needs --annotations testdev_balanced_questions.json: not given",
                gqa.get("reason").asText());

        JsonNode mmvet = row(report, "MM-Vet");
        assertEquals("absent", mmvet.get("status").asText());
        assertTrue(mmvet.get("ours").isNull() && mmvet.get("questions").isNull());
        assertEquals(37.6, mmvet.get("paper_7b").doubleValue());
        assertEquals(43.1, mmvet.get("paper_13b").doubleValue());

        assertEquals(6, report.get("throughput").size());
    }

    @Test
    void reportMdHasTheHeaderTheTableAndTheThroughput() throws IOException {
        RunDirectory run = sevenBRun();
        Reports.write(run.dir());
        String md = Files.readString(run.dir().resolve("report.md"));
        assertTrue(md.startsWith("# Evaluation report: share4v-7b-test\n"), md);
        assertTrue(md.contains("- Checkpoint: 5000\n"), md);
        assertTrue(md.contains("- Commit: `0431a67aa1b2c3d4e5f60718293a4b5c6d7e8f90`\n"), md);
        assertTrue(md.contains("- Date: 2026-12-04T10:00:00Z to 2026-12-04T11:30:00Z\n"), md);
        assertTrue(
                md.endsWith("## Config\n\nThe run's resolved keys (those left null are not listed):\n\n```\n"
                        + "conv_mode = vicuna_v1\nmax_new_tokens = 128\nspark.master = local[2]\n```\n"),
                md);
        assertTrue(md.contains("compared with ShareGPT4V-7B ("), md);
        assertTrue(
                md.contains("| Benchmark | Ours | ShareGPT4V-7B | ShareGPT4V-13B | Ours − 7B | Notes |\n"
                        + "|---|---:|---:|---:|---:|---|\n"
                        + "| LLaVA-Bench-Wild | judge | 72.6 | 79.9 |  | the GPT-4 judge cannot be called offline: score"
                        + " llava_bench/answers.jsonl with stored reviews/grades"),
                md);
        double perception = MME.get("perception").doubleValue();
        assertTrue(
                md.contains(String.format(
                        Locale.ROOT,
                        "| MME-perception | %.1f | 1567.4 | 1618.7 | %+.1f |  |\n",
                        perception,
                        perception - 1567.4)),
                md);
        assertTrue(md.contains("| MM-Vet | — | 37.6 | 43.1 |  |  |\n"), md);
        assertTrue(
                md.contains(
                        "| VQAv2 | upload | 80.6 | 81.0 |  | server-scored split: upload the submission made from vqav2/answers.jsonl"),
                md);
        assertTrue(
                md.contains(
                        "| GQA | not run | 63.3 | 64.8 |  | GQA needs --annotations testdev_balanced_questions.json:"
                                + " not given |\n"),
                md);
        assertTrue(md.contains(String.format(Locale.ROOT, "| POPE (F1) | %.1f | — | — |  |  |\n", POPE_F1)), md);
        assertTrue(md.contains(" (partial) | 68.4 | 71.2 | "), md);
        assertTrue(md.contains("## Throughput\n"), md);
        assertTrue(
                md.contains(
                        "| mme | 64 | 64 | 192 | 12.5 | 5.12 | 15.4 | 25% | 2 | 128 | vicuna_v1 | model_config |\n"),
                md);
    }

    @Test
    void reportPngIsAReadableChartOfTheExpectedSize() throws IOException {
        RunDirectory run = sevenBRun();
        Reports.write(run.dir());
        BufferedImage png = ImageIO.read(run.dir().resolve("report.png").toFile());
        assertEquals(ReportChart.WIDTH, png.getWidth());
        assertEquals(ReportChart.HEIGHT, png.getHeight());
        int ours = 0;
        int paper7b = 0;
        int paper13b = 0;
        int dark = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                ours += rgb == (ReportChart.OURS.getRGB() & 0xffffff) ? 1 : 0;
                paper7b += rgb == (ReportChart.PAPER_7B.getRGB() & 0xffffff) ? 1 : 0;
                paper13b += rgb == (ReportChart.PAPER_13B.getRGB() & 0xffffff) ? 1 : 0;
                dark += rgb == 0 ? 1 : 0;
            }
        }
        // bars: ours for POPE, MME x2 and SQA; the paper's for the 13 columns of its table; text in black
        assertTrue(ours > 4 * 1000, "ours bars: " + ours + " pixels");
        assertTrue(paper7b > 13 * 1000 && paper13b > 13 * 1000, "paper bars: " + paper7b + ", " + paper13b);
        assertTrue(dark > 2000, "text and axes: " + dark + " black pixels");
    }

    @Test
    void anUnknownSizeIsComparedWithBothRows() throws IOException {
        RunDirectory run = new RunDirectory(tmp.resolve("out"))
                .run(tmp.resolve("no-such-model"), List.of("pope", "mme"))
                .pope()
                .mme();
        RunReport report = Reports.write(run.dir());
        assertEquals(null, report.size().size());
        JsonNode json =
                RunDirectory.JSON.readTree(run.dir().resolve("report.json").toFile());
        assertTrue(json.get("paper_size").isNull());
        JsonNode perception = row(json, "MME-perception");
        double ours = MME.get("perception").doubleValue();
        assertEquals(ours - 1567.4, perception.get("difference_7b").doubleValue(), 1e-9);
        assertEquals(ours - 1618.7, perception.get("difference_13b").doubleValue(), 1e-9);
        assertTrue(ReportMarkdown.resultsTable(report)
                .startsWith(
                        "| Benchmark | Ours | ShareGPT4V-7B | ShareGPT4V-13B | Ours − 7B | Ours − 13B | Notes |\n"));
        Path thirteen = RunDirectory.model(tmp.resolve("13b"), 5120);
        assertEquals(ModelSize.THIRTEEN_B, PaperSize.of(thirteen).size());
        PaperSize tiny = PaperSize.of(RunDirectory.model(tmp.resolve("tiny"), 64));
        assertEquals(null, tiny.size());
        assertTrue(tiny.source().contains("hidden_size 64 is neither"), tiny.source());
    }

    @Test
    void missingOrMalformedFilesAreErrorsNamingThem() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        EvalInputException e = assertThrows(EvalInputException.class, () -> Reports.write(out));
        assertEquals(
                out.resolve("run.json") + ": not found (the run's summary (the evaluation job writes it))",
                e.getMessage());

        RunDirectory run = new RunDirectory(out)
                .run(tmp.resolve("m"), List.of("pope", "mme"))
                .pope();
        e = assertThrows(EvalInputException.class, () -> Reports.write(out));
        assertTrue(e.getMessage().startsWith(out.resolve("mme").resolve("run.json") + ": not found"), e.getMessage());

        run.benchmarkRun("mme", 64, 64, null);
        Files.writeString(out.resolve("mme").resolve("run.json"), "{\"benchmark\": \"mme\", \"questions\": 64}");
        e = assertThrows(EvalInputException.class, () -> Reports.write(out));
        assertTrue(
                e.getMessage().contains(out.resolve("mme").resolve("run.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("answered"), e.getMessage());

        run.benchmarkRun("mme", 64, 64, null);
        Files.writeString(out.resolve("mme").resolve("score.json"), "{\"benchmark\": \"mme\", \"f1\": 80.0}");
        e = assertThrows(EvalInputException.class, () -> Reports.write(out));
        assertTrue(
                e.getMessage().startsWith(out.resolve("mme").resolve("score.json") + ": key \"perception\""),
                e.getMessage());

        Files.writeString(out.resolve("mme").resolve("score.json"), "{\"perception\": 1.0,");
        e = assertThrows(EvalInputException.class, () -> Reports.write(out));
        assertTrue(
                e.getMessage().startsWith(out.resolve("mme").resolve("score.json") + " is not valid JSON"),
                e.getMessage());

        Files.writeString(
                out.resolve("run.json"),
                Files.readString(out.resolve("run.json")).replace("mme", "mmx"));
        e = assertThrows(EvalInputException.class, () -> Reports.write(out));
        assertTrue(
                e.getMessage().startsWith(out.resolve("run.json") + ": benchmark \"mmx\" is unknown"), e.getMessage());
    }

    @Test
    void aPartialScoreWithoutItsHeadlineNumberIsNotRunAndSaysWhy() throws IOException {
        // answers to one POPE split only: the other two have no F1, so neither has the mean
        Path oneSplit = Files.write(
                tmp.resolve("pope-one-split.jsonl"),
                Files.readAllLines(resource("pope/llava-v1.5-13b.jsonl")).subList(0, 12));
        RunDirectory run = new RunDirectory(tmp.resolve("out"))
                .run(RunDirectory.model(tmp.resolve("model"), 5120), List.of("pope"))
                .scored("pope", oneSplit, resource("pope/llava_pope_test.jsonl"), resource("pope/annotations"), true)
                .benchmarkRun("pope", 36, 12, null);
        ReportRow pope = Reports.write(run.dir()).rows().get(13);
        assertEquals(RowStatus.NOT_RUN, pope.status());
        assertEquals(
                "pope/score.json: \"f1\" is null (answered 12 of 36 questions)",
                pope.reason().replace('\\', '/'));
    }

    @Test
    void everyScorerHasAColumn() {
        for (String name : Scorers.names()) {
            assertTrue(ReportColumn.reports(name), name + " has no column in the report");
        }
        assertEquals(14, ReportColumn.ALL.size());
    }
}
