package io.share4v.jobs.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver pre-pass streams a ~300 MB LLaVA JSON array in a 256 MB heap (a JVM where parsing the same
 * file into one tree runs out of memory), so the real 1.2-1.5 GB files never sit in a driver heap.
 */
class StreamingPrePassTest {
    static final long BYTES = 300L << 20;

    @TempDir
    static Path tmp;

    static Path json;
    static long records;

    @BeforeAll
    static void generate() throws IOException {
        json = tmp.resolve("big.json");
        records = BigJson.write(json, BYTES, 5);
    }

    static Result fork(String heap, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-cp",
                System.getProperty("java.class.path"),
                main));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "fork", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forked JVM timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    record Result(int exit, String output) {}

    @Test
    void prePassStreamsTheFileInASmallHeap() throws Exception {
        assertTrue(Files.size(json) >= BYTES);
        Result r = fork(
                "-Xmx256m",
                PrePassMain.class.getName(),
                json.toString(),
                tmp.resolve("staging").toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("records=" + records + " "), r.output());
        long lines = 0;
        try (var files = Files.list(tmp.resolve("staging/records"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                try (var l = Files.lines(f)) {
                    lines += l.count();
                }
            }
        }
        assertEquals(records, lines, "every element staged once");
    }

    @Test
    void loadingTheWholeArrayDoesNotFitThatHeap() throws Exception {
        Result r = fork("-Xmx256m", NaiveLoadMain.class.getName(), json.toString());
        assertNotEquals(0, r.exit(), "the naive load should not fit in 256 MB: " + r.output());
        assertTrue(r.output().contains("OutOfMemoryError"), r.output());
    }
}
