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

/** The harness end to end on the tiny model: inputs made, each configuration in its own JVM, lines and table. */
class TrainBenchTest {
    @TempDir
    Path work;

    @Test
    void runsEachConfigurationInItsOwnJvmAtEqualGlobalBatch() throws Exception {
        BenchOptions o = BenchOptions.parse(
                List.of(
                        "--model",
                        "tiny",
                        "--configs",
                        "1x1,2x1",
                        "--micro-batch",
                        "1",
                        "--global-batch",
                        "2",
                        "--steps",
                        "2",
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
        assertEquals(3, lines.size(), logText);
        assertEquals(3, out.toString(StandardCharsets.UTF_8).lines().count());
        Map<String, Object> one = lines.get(0);
        Map<String, Object> two = lines.get(1);
        assertEquals("1x1", one.get("config"));
        assertEquals(2, one.get("accumulation"));
        assertEquals(1, two.get("accumulation"));
        assertEquals("java loops 1", two.get("backend_threads"));
        assertEquals(0.0, ((Number) one.get("bytes_sent_per_step_max")).doubleValue());
        // 2 ranks: reduce-scatter + all-gather send half of the trainable fp32 bytes each, plus the few step sums
        double trainableBytes = 4.0 * ((Number) two.get("params_trainable")).doubleValue();
        double sent = ((Number) two.get("bytes_sent_per_step_max")).doubleValue();
        assertTrue(sent >= trainableBytes && sent < trainableBytes * 1.01, sent + " vs " + trainableBytes);
        for (Map<String, Object> l : List.of(one, two)) {
            assertTrue(((Number) l.get("samples_per_s")).doubleValue() > 0, l.toString());
            for (String k : List.of("communication", "data_stall", "compute")) {
                double f = ((Number) l.get(k + "_fraction_max")).doubleValue();
                assertTrue(f >= 0 && f <= 1, k + " " + f);
            }
            assertTrue(Double.isFinite(((Number) l.get("last_loss")).doubleValue()), l.toString());
        }
        assertEquals("train_ratio", lines.get(2).get("bench"));
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
