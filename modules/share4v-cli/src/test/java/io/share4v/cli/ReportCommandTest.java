package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.score.Scorers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v report --run DIR} on a run directory with POPE scored by the real scorer (the eval module's excerpt)
 * and VQAv2 answered for upload: writes the three files and prints the results table.
 */
class ReportCommandTest {
    private static final Path POPE = Path.of("../share4v-eval/src/test/resources/pope");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path runDirectory() throws IOException {
        Path out = tmp.resolve("out");
        ObjectNode run = JSON.createObjectNode()
                .put("model", tmp.resolve("model").toString())
                .put("model_id", "tiny-llava")
                .put("vision_tower", "tiny")
                .putNull("checkpoint")
                .put("git_commit", "abc123")
                .put("started", "2026-12-04T10:00:00Z")
                .put("finished", "2026-12-04T10:05:00Z");
        run.putObject("config").put("benchmarks", "pope,vqav2");
        run.putArray("benchmarks").add("pope").add("vqav2");
        Files.createDirectories(out);
        Files.writeString(out.resolve("run.json"), JSON.writeValueAsString(run));
        for (String bench : new String[] {"pope", "vqav2"}) {
            ObjectNode b = JSON.createObjectNode()
                    .put("benchmark", bench)
                    .put("questions", 36)
                    .put("answered", 36)
                    .put("new_tokens", 72)
                    .put("seconds", 3.0)
                    .put("questions_per_second", 12.0)
                    .put("tokens_per_second", 24.0)
                    .put("image_wait_fraction", 0.1)
                    .put("chunks", 1)
                    .put("max_new_tokens", 128)
                    .put("conv_mode", "vicuna_v1")
                    .put("image_policy", "model_config");
            Files.createDirectories(out.resolve(bench));
            Files.writeString(out.resolve(bench).resolve("run.json"), JSON.writeValueAsString(b));
        }
        Path answers = Files.copy(POPE.resolve("llava-v1.5-13b.jsonl"), out.resolve("pope/answers.jsonl"));
        ObjectNode score = JSON.createObjectNode().put("benchmark", "pope");
        score.setAll(Scorers.named("pope")
                .score(answers, POPE.resolve("llava_pope_test.jsonl"), POPE.resolve("annotations"), false));
        Files.writeString(out.resolve("pope/score.json"), JSON.writeValueAsString(score));
        return out;
    }

    @Test
    void writesTheThreeFilesAndPrintsTheTable() throws Exception {
        Path out = runDirectory();
        CliRun run = CliRun.of("report", "--run", out.toString());
        assertEquals(0, run.exit(), run.err());
        double f1 =
                JSON.readTree(POPE.resolve("expected.json").toFile()).get("f1").doubleValue();
        assertTrue(
                run.out()
                        .startsWith("| Benchmark | Ours | ShareGPT4V-7B | ShareGPT4V-13B | Ours − 7B | Ours − 13B"
                                + " | Notes |\n"),
                run.out());
        assertTrue(
                run.out().contains(String.format(Locale.ROOT, "| POPE (F1) | %.1f | — | — |  |  |  |\n", f1)),
                run.out());
        assertTrue(run.out().contains("| VQAv2 | upload | 80.6 | 81.0 |  |  | server-scored split"), run.out());
        assertTrue(run.out().contains("| MME-perception | — | 1567.4 | 1618.7 |  |  |  |\n"), run.out());
        assertEquals(15 + 1, run.lines().size(), "header, rule and 14 rows: " + run.out());

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("tiny-llava", report.get("model_id").asText());
        assertEquals(14, report.get("rows").size());
        assertTrue(Files.readString(out.resolve("report.md")).contains(run.out()));
        BufferedImage png = ImageIO.read(out.resolve("report.png").toFile());
        assertEquals(1600, png.getWidth());
    }

    @Test
    void aMissingRunFileIsAnErrorNamingIt() throws Exception {
        Path out = runDirectory();
        Files.delete(out.resolve("vqav2/run.json"));
        CliRun run = CliRun.of("report", "--run", out.toString());
        assertEquals(2, run.exit());
        assertTrue(
                run.err().contains("share4v report: error: " + out.resolve("vqav2/run.json") + ": not found"),
                run.err());
        CliRun nowhere = CliRun.of("report", "--run", tmp.resolve("nowhere").toString());
        assertEquals(2, nowhere.exit());
        assertTrue(nowhere.err().contains(tmp.resolve("nowhere") + ": not a directory"), nowhere.err());
    }
}
