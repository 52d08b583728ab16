package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.backend.nd4j.Nd4jRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' JSON line: the header keys first, the command's figures, then the environment part. */
class BenchLineTest {
    private static JsonNode printed(BenchLine line) throws Exception {
        StringWriter s = new StringWriter();
        line.print(new PrintWriter(s));
        assertEquals(1, s.toString().lines().count(), s.toString());
        return new ObjectMapper().readTree(s.toString());
    }

    private static List<String> keys(JsonNode j) {
        List<String> out = new ArrayList<>();
        j.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static BlasPool pool() {
        Nd4jRuntime rt = Nd4jRuntime.get();
        return new BlasPool(rt.blasThreads(), rt.describe());
    }

    @Test
    void headerFiguresThenEnvironmentInThatOrder() throws Exception {
        JsonNode j = printed(BenchLine.start("step", Path.of("some/dir"))
                .put("ms", 12.3456, 1)
                .put("n", 4)
                .putEnvironment(pool(), "scalar", true));
        assertEquals(
                List.of(
                        "side",
                        "bench",
                        "model",
                        "ms",
                        "n",
                        "threads",
                        "java_processors",
                        "kernels",
                        "blas",
                        "openblas_coretype",
                        "load_avg_before",
                        "load_avg_after"),
                keys(j));
        assertEquals("java", j.get("side").asText());
        assertEquals(
                Path.of("some/dir").toAbsolutePath().normalize().toString(),
                j.get("model").asText());
        assertEquals(12.3, j.get("ms").asDouble());
        assertEquals("scalar", j.get("kernels").asText());
        assertEquals(
                Runtime.getRuntime().availableProcessors(),
                j.get("java_processors").asInt());
    }

    @Test
    void aBackendWithoutABlasPoolHasNoThreadCountAndNoBlas() throws Exception {
        JsonNode j = printed(BenchLine.start("step", Path.of("d")).putEnvironment(null, "scalar", true));
        assertTrue(j.get("threads").isNull(), j.toString());
        assertEquals("none", j.get("blas").asText());
    }

    @Test
    void theBlasBuildIsOptional() throws Exception {
        JsonNode j = printed(BenchLine.start("decode", Path.of("d")).putEnvironment(pool(), "scalar", false));
        assertEquals(
                List.of(
                        "side",
                        "bench",
                        "model",
                        "threads",
                        "java_processors",
                        "kernels",
                        "openblas_coretype",
                        "load_avg_before",
                        "load_avg_after"),
                keys(j));
    }
}
