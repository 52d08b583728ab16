package io.share4v.eval.bench;

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

/** The harness end to end on the tiny model: inputs made, three configurations, their lines and table. */
class EvalBenchTest {
    @TempDir
    Path work;

    @Test
    void measuresEveryConfigurationOnTheSameAnswers() throws Exception {
        EvalBench.Options o = EvalBench.Options.parse(List.of(
                "--model",
                "tiny",
                "--questions",
                "7",
                "--new-tokens",
                "5",
                "--configs",
                "1i,3,2w2",
                "--text-only",
                "0.3",
                "--image",
                "64x48",
                "--backend",
                "java",
                "--warmup",
                "1",
                "--work",
                work.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Map<String, Object>> lines = EvalBench.measure(
                o,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String logText = log.toString(StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), logText);
        assertEquals(3, out.toString(StandardCharsets.UTF_8).lines().count());
        for (Map<String, Object> l : lines) {
            assertEquals(7, l.get("questions"));
            assertEquals(true, l.get("same_answers_as_first"), l.toString());
            assertEquals(lines.get(0).get("new_tokens"), l.get("new_tokens"));
        }
        assertEquals("inline", lines.get(0).get("decoding"));
        assertEquals("background x1", lines.get(1).get("decoding"));
        assertEquals(2, lines.get(2).get("group_window_batches"));
        assertTrue(logText.contains("| 1 | 2w2 | background x1 |"), logText);
    }

    @Test
    void badConfigurationsAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> EvalBench.Options.parse(List.of("--configs", "1,x4")));
        assertTrue(e.getMessage().contains("'x4'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EvalBench.Options.parse(List.of("--batch", "4")));
        assertTrue(e.getMessage().contains("unknown option --batch"), e.getMessage());
    }
}
