package io.share4v.train.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput of the benchmark "small LLaVA" ({@link BenchModel}) at equal global batch in several
 * configurations of ranks × threads per rank (default {@code 1x2,2x1}: one worker with 2 threads against 2 workers
 * with 1 thread each, the goal being ≥ 0.9× the first), with the fractions of step time in communication, data
 * stall and compute. A harness, not a test: {@code bin/bench-train}; see docs/benchmarks.md.
 *
 * <p>Each configuration runs in a fresh JVM ({@link ConfigurationRun}) whose processor count, OpenBLAS pool and
 * OpenMP pool are its threads per rank ({@code -XX:ActiveProcessorCount}, which also sizes the kernels' Java loops;
 * {@code -Dshare4v.blasThreads}; {@code OMP_NUM_THREADS}), with {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} unset as {@code bin/bench-model} does (OpenBLAS detects the CPU) and the same collector
 * in every JVM. JSON lines go to stdout ({@code train_step} per configuration and run, {@code train_ratio} against
 * the first configuration), the children's logs and a Markdown table to stderr.
 *
 * <p>Usage: {@code TrainBench [--configs 1x2,2x1] [--stage stage1|stage2] [--micro-batch 4] [--global-batch 8]
 * [--steps 5] [--warmup 2] [--text-len 255] [--runs 1] [--backend nd4j] [--set key=value]...
 * [--sweep key=v1,v2] [--work DIR] [--repo DIR]}, or {@code TrainBench --paper} for the 7B estimate only.
 * {@code BENCH_JAVA_OPTS} (default {@code -Xmx8g}) are the configurations' JVM options.
 */
public final class TrainBench {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final double GOAL = 0.9;

    private TrainBench() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String child = take(rest, "--child");
        String result = take(rest, "--result");
        String run = take(rest, "--run");
        BenchOptions options = BenchOptions.parse(rest, Path.of("../.."));
        if (child != null) {
            Map<String, Object> line =
                    ConfigurationRun.run(options, BenchOptions.RankConfig.parse(child), Integer.parseInt(run));
            Files.writeString(Path.of(result), JSON.writeValueAsString(line));
            return;
        }
        if (options.paper()) {
            SevenBOnPaper paper = SevenBOnPaper.of(options.repo().resolve("conf/pretrain-7b.yaml"));
            System.out.println(json(paper.asMap()));
            System.err.print(paper.table());
            return;
        }
        measure(options, System.out, System.err);
    }

    /**
     * Makes the inputs, runs every configuration of every run and sweep value in its own JVM, prints the JSON lines
     * to {@code out} and the logs and the table to {@code log}; returns the lines ({@code train_step}, then
     * {@code train_ratio}).
     */
    static List<Map<String, Object>> measure(BenchOptions options, PrintStream out, PrintStream log)
            throws IOException, InterruptedException {
        for (Map<String, String> variant : options.sweep().variants()) {
            for (BenchOptions.RankConfig rc : options.configs()) {
                // a bad --set or --sweep key fails here, naming the key, before anything runs
                ConfigurationRun.config(
                        childOptions(options, variant, rc), rc, BenchInputs.of(options), options.workDir());
            }
        }
        BenchInputs.prepare(options);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int r = 1; r <= options.runs(); r++) {
            for (Map<String, String> variant : options.sweep().variants()) {
                for (BenchOptions.RankConfig rc : options.configs()) {
                    Map<String, Object> line = runChild(options, variant, rc, r, log);
                    out.println(json(line));
                    lines.add(line);
                }
            }
        }
        List<Map<String, Object>> ratios = ratios(lines);
        for (Map<String, Object> ratio : ratios) {
            out.println(json(ratio));
        }
        log.println();
        log.print(table(lines));
        List<Map<String, Object>> all = new ArrayList<>(lines);
        all.addAll(ratios);
        return all;
    }

    /** Runs one configuration in its own JVM and returns its line. */
    private static Map<String, Object> runChild(
            BenchOptions options, Map<String, String> variant, BenchOptions.RankConfig rc, int run, PrintStream log)
            throws IOException, InterruptedException {
        BenchOptions child = childOptions(options, variant, rc);
        Path result = Files.createTempFile(Files.createDirectories(options.workDir()), "result-", ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "-Xmx8g");
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-XX:ActiveProcessorCount=" + rc.threads());
        cmd.add("-XX:+UseG1GC"); // one processor would otherwise select the serial collector
        cmd.add("-Dshare4v.blasThreads=" + rc.threads());
        cmd.add("-Dorg.slf4j.simpleLogger.log.io.share4v.train.run=info"); // the run's progress lines
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainBench.class.getName());
        cmd.addAll(child.toArgs());
        cmd.addAll(List.of("--child", rc.name(), "--result", result.toString(), "--run", String.valueOf(run)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(rc.threads()));
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        log.println("bench-train: run " + run + ", config " + rc.name() + ", sets " + child.sets() + " ...");
        Process p = pb.start();
        p.getInputStream().transferTo(log);
        int code = p.waitFor();
        try {
            if (code != 0) {
                throw new IllegalStateException("configuration " + rc.name() + " (run " + run
                        + ") failed with exit code " + code + "; its log is above");
            }
            return JSON.readValue(Files.readString(result), new TypeReference<LinkedHashMap<String, Object>>() {});
        } finally {
            Files.deleteIfExists(result);
        }
    }

    /** The options of one configuration's JVM: that configuration, one run, the variant's sets added. */
    private static BenchOptions childOptions(
            BenchOptions options, Map<String, String> variant, BenchOptions.RankConfig rc) {
        Map<String, String> sets = new LinkedHashMap<>(options.sets());
        sets.putAll(variant);
        return new BenchOptions(
                List.of(rc),
                options.model(),
                options.stage(),
                options.microBatch(),
                options.globalBatch(),
                options.steps(),
                options.warmup(),
                options.textLen(),
                1,
                options.backend(),
                sets,
                BenchOptions.Sweep.NONE,
                options.workDir(),
                options.repo(),
                false);
    }

    /** For every run and set of sets: each configuration's samples/s over the first configuration's. */
    static List<Map<String, Object>> ratios(List<Map<String, Object>> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Map<String, Object>> baselines = new LinkedHashMap<>();
        for (Map<String, Object> line : lines) {
            String group = line.get("run") + " " + line.get("sets");
            Map<String, Object> base = baselines.putIfAbsent(group, line);
            if (base == null) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("bench", "train_ratio");
            r.put("run", line.get("run"));
            r.put("sets", line.get("sets"));
            r.put("config", line.get("config"));
            r.put("baseline", base.get("config"));
            double ratio = number(line, "samples_per_s") / number(base, "samples_per_s");
            r.put("samples_per_s_ratio", ratio);
            r.put("goal", GOAL);
            r.put("meets_goal", ratio >= GOAL);
            out.add(r);
        }
        return out;
    }

    /** The lines as a Markdown table; "vs first" is samples/s over the first configuration of the same run. */
    static String table(List<Map<String, Object>> lines) {
        StringBuilder b = new StringBuilder(
                "| run | sets | ranks x threads | samples/s | vs first | step ms mean / median | communication % max /"
                        + " mean | hidden communication % max / mean | data stall % max / mean | compute % max / mean"
                        + " | MB sent per step per rank |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Double> first = new LinkedHashMap<>();
        for (Map<String, Object> l : lines) {
            String group = l.get("run") + " " + l.get("sets");
            double sps = number(l, "samples_per_s");
            double base = first.computeIfAbsent(group, g -> sps);
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.3f | %.2f | %.0f / %.0f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f |%n",
                    l.get("run"),
                    l.get("sets"),
                    l.get("config"),
                    sps,
                    sps / base,
                    number(l, "step_ms_mean"),
                    number(l, "step_ms_median"),
                    100 * number(l, "communication_fraction_max"),
                    100 * number(l, "communication_fraction_mean"),
                    100 * number(l, "hidden_communication_fraction_max"),
                    100 * number(l, "hidden_communication_fraction_mean"),
                    100 * number(l, "data_stall_fraction_max"),
                    100 * number(l, "data_stall_fraction_mean"),
                    100 * number(l, "compute_fraction_max"),
                    100 * number(l, "compute_fraction_mean"),
                    number(l, "bytes_sent_per_step_max") / 1e6));
        }
        return b.toString();
    }

    /** One JSON line, doubles to 4 significant digits. */
    static String json(Map<String, Object> fields) throws IOException {
        return JSON.writeValueAsString(rounded(fields));
    }

    private static Object rounded(Object v) {
        if (v instanceof Double d && Double.isFinite(d) && d != 0) {
            return new BigDecimal(d).round(new MathContext(4)).doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, rounded(x)));
            return out;
        }
        return v;
    }

    private static double number(Map<String, Object> line, String key) {
        return ((Number) line.get(key)).doubleValue();
    }

    /** Removes {@code flag} and its value from {@code args}; returns the value, or null when absent. */
    private static String take(List<String> args, String flag) {
        int i = args.indexOf(flag);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        String v = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return v;
    }
}
