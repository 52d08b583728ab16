package io.share4v.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's progress lines: counts read incrementally from the part files, the rate and the ETA. */
class ProgressMonitorTest {
    @TempDir
    Path parts;

    @Test
    void countsAppendedLinesPerBenchmark() throws Exception {
        BenchmarkTask t = new BenchmarkTask("pope", "q.jsonl", null, 128, parts.toString(), 10, 2, "sha");
        Files.writeString(PartFile.of(parts, 0), "{}\n{}\n");
        try (ProgressMonitor m = ProgressMonitor.start(List.of(t), 3600)) {
            assertStartsWith("pope: 2/10 answered (20.0%)", m.poll().get(0));
            Files.writeString(PartFile.of(parts, 0), "{}\n", StandardOpenOption.APPEND);
            Files.writeString(PartFile.of(parts, 1), "{}\n{\"torn", StandardOpenOption.CREATE);
            assertStartsWith("pope: 4/10 answered (40.0%)", m.poll().get(0));
            Files.writeString(PartFile.of(parts, 1), "{}\n"); // cut back by a resuming task
            assertStartsWith("pope: 4/10 answered", m.poll().get(0));
        }
    }

    private static void assertStartsWith(String prefix, String line) {
        assertTrue(line.startsWith(prefix), line);
    }

    @Test
    void theEtaFollowsTheRateSinceTheStart() {
        BenchmarkTask t = new BenchmarkTask("mme", "q", null, 128, "p", 2374, 4, "sha");
        assertEquals(
                "mme: 374/2374 answered (15.8%), 2.00 questions/s, ETA 16m40s",
                ProgressMonitor.describe(t, 374, 200, 100));
        assertEquals("mme: 0/2374 answered (0.0%), 0.00 questions/s, ETA ?", ProgressMonitor.describe(t, 0, 0, 5));
        assertEquals("2h00m", ProgressMonitor.duration(7200));
    }
}
