package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.Trainable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code share4v bench-step} and {@code bench-decode} on the golden tiny checkpoint: they run, print one JSON
 * line with the documented fields, train (the loss falls over AdamW steps on a fixed batch), and reject bad
 * options with one line and exit 2. Times are printed, never asserted.
 */
class BenchModelCommandsTest {
    static final Path MODEL = ForwardCommandTest.MODEL;

    private static JsonNode onlyJsonLine(CliRun run) throws Exception {
        List<String> json = run.lines().stream().filter(l -> l.startsWith("{")).toList();
        assertEquals(1, json.size(), run.out());
        return new ObjectMapper().readTree(json.get(0));
    }

    @Test
    void benchStepPrintsOneJsonLineAndTrains() throws Exception {
        CliRun run = CliRun.of(
                "bench-step",
                "--model",
                MODEL.toString(),
                "--batch",
                "2",
                "--text-len",
                "5",
                "--steps",
                "3",
                "--warmup",
                "1",
                "--threads",
                "1",
                "--scope",
                "all",
                "--no-gemm-peak");
        assertEquals(0, run.exit(), run.err());
        JsonNode j = onlyJsonLine(run);
        System.out.println(j);
        assertEquals("java", j.get("side").asText());
        assertEquals(2, j.get("batch").asInt());
        assertEquals(5 + 1 + 9, j.get("seq_len").asInt(), "[BOS, <image>, 5 text] spliced with 9 image rows");
        assertEquals(2 * 15, j.get("tokens").asInt());
        assertEquals(3, j.get("ms_per_step_all").size());
        assertTrue(j.get("ms_per_step").asDouble() > 0);
        assertTrue(j.get("peak_rss_mb").asDouble() > 0);
        assertTrue(j.get("gflops").asDouble() > 0);
        assertEquals(1, j.get("threads").asInt());
        assertTrue(
                j.get("kernels").asText().startsWith("nd4j"), j.get("kernels").asText());
        assertTrue(j.get("loss_last").asDouble() < j.get("loss_first").asDouble(), "AdamW steps lower the loss");
        LlavaConfig cfg = HfConfigReader.readLlava(MODEL, null);
        assertEquals(
                StepFlops.gflop(cfg, Trainable.all(), 2, 15),
                j.get("gflop_per_step").asDouble(),
                0.01);
    }

    @Test
    void stageTwoCountsFewerFlopsThanAll() throws Exception {
        LlavaConfig cfg = HfConfigReader.readLlava(MODEL, null);
        double all = StepFlops.gflop(cfg, Trainable.all(), 4, 100);
        double s1 = StepFlops.gflop(cfg, BenchStepCommand.scope("stage1", cfg), 4, 100);
        double s2 = StepFlops.gflop(cfg, Trainable.stage2(), 4, 100);
        assertTrue(all > s1 && s1 > s2, all + " " + s1 + " " + s2);
    }

    @Test
    void benchDecodePrintsOneJsonLine() throws Exception {
        CliRun run = CliRun.of(
                "bench-decode",
                "--model",
                MODEL.toString(),
                "--new-tokens",
                "6",
                "--prompt-len",
                "4",
                "--runs",
                "2",
                "--threads",
                "1");
        assertEquals(0, run.exit(), run.err());
        JsonNode j = onlyJsonLine(run);
        System.out.println(j);
        assertEquals("decode", j.get("bench").asText());
        assertEquals(4 + 9, j.get("prompt_seq_len").asInt(), "[BOS, <image>, 3 ids] spliced with 9 image rows");
        assertTrue(j.get("tokens_per_s").asDouble() > 0);
        assertTrue(j.get("prefill_ms").asDouble() > 0);
        assertTrue(j.get("peak_rss_mb").asDouble() > 0);
        assertTrue(j.get("generated_ids_head").size() >= 1);
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        CliRun run = CliRun.of(
                "bench-step",
                "--model",
                MODEL.toString(),
                "--batch",
                "1",
                "--text-len",
                "4",
                "--steps",
                "1",
                "--scope",
                "stage3");
        assertEquals(2, run.exit());
        assertTrue(run.err().trim().lines().count() == 1 && run.err().contains("--scope stage3"), run.err());
        run = CliRun.of("bench-step", "--model", "no/such/dir", "--batch", "1", "--text-len", "4", "--steps", "1");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no/such/dir") && run.err().contains("config.json"), run.err());
        run = CliRun.of("bench-decode", "--model", MODEL.toString(), "--new-tokens", "1");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--new-tokens = 1"), run.err());
    }
}
