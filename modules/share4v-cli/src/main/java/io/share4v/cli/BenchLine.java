package io.share4v.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON line a model benchmark prints: {@code side}, {@code bench} and {@code model} first, then the
 * command's figures, then the environment they were measured in (thread counts, kernels, OpenBLAS core type and
 * the load average before and after, since other processes compete for the cores). Keys keep insertion order;
 * bin/bench-model and the benchmark docs read them by name.
 */
final class BenchLine {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final double[] loadBefore;

    private BenchLine(String bench, Path model) {
        loadBefore = BenchSupport.loadAverage();
        fields.put("side", "java");
        fields.put("bench", bench);
        fields.put("model", model.toAbsolutePath().normalize().toString());
    }

    /** Starts the line of benchmark {@code bench}; call it before the work, as it reads the load average. */
    static BenchLine start(String bench, Path model) {
        return new BenchLine(bench, model);
    }

    BenchLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** {@code value} rounded to {@code digits} decimals (timings are not meaningful beyond that). */
    BenchLine put(String key, double value, int digits) {
        return put(key, BenchSupport.round(value, digits));
    }

    /** {@code peak_rss_mb}: the process's peak resident set so far. */
    BenchLine putPeakRss() {
        return put("peak_rss_mb", BenchSupport.peakRssMb(), 1);
    }

    /**
     * The environment part: {@code threads} (BLAS), {@code java_processors}, {@code kernels}, with
     * {@code describeBlas} also {@code blas} (the BLAS build), {@code openblas_coretype}, {@code load_avg_before}
     * and {@code load_avg_after}. A backend without a BLAS pool ({@code blas} null, the java backend) has
     * {@code threads} null and {@code blas} "none".
     */
    BenchLine putEnvironment(BlasPool blas, String kernels, boolean describeBlas) {
        put("threads", blas == null ? null : blas.threads());
        put("java_processors", Runtime.getRuntime().availableProcessors());
        put("kernels", kernels);
        if (describeBlas) {
            put("blas", blas == null ? "none" : blas.description());
        }
        String core = System.getenv("OPENBLAS_CORETYPE");
        put("openblas_coretype", core == null ? "unset" : core);
        put("load_avg_before", loadBefore);
        return put("load_avg_after", BenchSupport.loadAverage());
    }

    void print(PrintWriter out) {
        try {
            out.println(new ObjectMapper().writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write benchmark JSON", e);
        }
        out.flush();
    }
}
