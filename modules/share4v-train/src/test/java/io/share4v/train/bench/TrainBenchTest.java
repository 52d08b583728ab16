package io.share4v.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness end to end on the tiny model: inputs made, a configuration in its own JVM, its line and table. */
class TrainBenchTest {
    @TempDir
    Path work;

    @Test
    void runsAConfigurationInItsOwnJvmAndCountsEveryRank() throws Exception {
        // one configuration keeps the test to one JVM start; the ratios and the table are BenchArithmeticTest's
        BenchOptions o = BenchOptions.parse(
                List.of(
                        "--model",
                        "tiny",
                        "--configs",
                        "2x1",
                        "--micro-batch",
                        "1",
                        "--global-batch",
                        "4",
                        "--steps",
                        "1",
                        "--warmup",
                        "1",
                        "--text-len",
                        "6",
                        "--backend",
                        "java",
                        "--work",
                        work.toString()),
                Path.of("../.."));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Map<String, Object>> lines = TrainBench.measure(
                o,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String logText = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), logText);
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
        Map<String, Object> l = lines.get(0);
        assertEquals("train_step", l.get("bench"));
        assertEquals("2x1", l.get("config"));
        assertEquals(2, l.get("accumulation"));
        assertEquals("java loops 1", l.get("backend_threads"), "the JVM of a 1-thread configuration sees 1 processor");
        assertEquals(1, l.get("timed_steps"));
        // 2 ranks: reduce-scatter + all-gather send half of the trainable fp32 bytes each, plus the few step sums
        double trainableBytes = 4.0 * ((Number) l.get("params_trainable")).doubleValue();
        for (String k : List.of("bytes_sent_per_step_max", "bytes_sent_per_step_mean")) {
            double sent = ((Number) l.get(k)).doubleValue();
            assertTrue(
                    sent >= trainableBytes && sent < trainableBytes * 1.01, k + " " + sent + " vs " + trainableBytes);
        }
        assertTrue(((Number) l.get("samples_per_s")).doubleValue() > 0, l.toString());
        for (String k : List.of("communication", "data_stall", "compute")) {
            double max = ((Number) l.get(k + "_fraction_max")).doubleValue();
            double mean = ((Number) l.get(k + "_fraction_mean")).doubleValue();
            assertTrue(0 <= mean && mean <= max && max <= 1, k + " " + mean + " / " + max);
        }
        assertTrue(((Number) l.get("communication_fraction_max")).doubleValue() > 0, l.toString());
        assertTrue(Double.isFinite(((Number) l.get("last_loss")).doubleValue()), l.toString());
        assertTrue(logText.contains("| 1 | {} | 2x1 |"), logText);
    }

    @Test
    void refusesAnUnknownSetBeforeRunningAnything() {
        BenchOptions o = BenchOptions.parse(
                List.of("--model", "tiny", "--sweep", "collective.no_such_key=1,2", "--work", work.toString()),
                Path.of("../.."));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Exception e = assertThrows(Exception.class, () -> TrainBench.measure(o, quiet, quiet));
        assertTrue(e.getMessage().contains("collective.no_such_key"), e.getMessage());
    }
}
