package io.share4v.jobs.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a ~300 MB text-only JSON array in a forked JVM with a 512 MB heap (Spark's minimum is
 * about 471 MB): driver and executors in one JVM never hold the file. About 2-3 minutes on 2 cores, so
 * tagged slow (mvn verify -Pslow).
 */
@Tag("slow")
class WholeJobSmallHeapTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void shardsThreeHundredMegabytesInAHalfGigabyteHeap() throws Exception {
        Path json = tmp.resolve("big.json");
        long records = BigJson.write(json, StreamingPrePassTest.BYTES, 9);
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        // Same module opens as this JVM (Surefire's argLine): Kryo needs them.
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")
                        || a.startsWith("-XX:+IgnoreUnrecognized")
                        || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dio.netty"))
                .toList());
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                SmallHeapJobMain.class.getName(),
                json.toString(),
                tmp.resolve("out").toString(),
                TestSpark.TOKENIZER.toString()));
        Path log = tmp.resolve("fork.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(14, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out");
        }
        String out = readTail(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("records_read=" + records + " records_written=" + records), out);
    }

    private static String readTail(Path log) throws IOException {
        String s = java.nio.file.Files.readString(log);
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
