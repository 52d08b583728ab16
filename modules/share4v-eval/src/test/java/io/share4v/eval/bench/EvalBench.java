package io.share4v.eval.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.run.AnswerStats;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImagePolicy;
import io.share4v.eval.run.QuestionAnswerer;
import io.share4v.eval.run.RunnerSettings;
import io.share4v.model.generate.FinishReason;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Questions/s and new tokens/s of {@link QuestionAnswerer} on the benchmark "small LLaVA" (random weights, 224-px
 * images, see {@link io.share4v.model.llava.TinyLlava#small}) over synthetic photo-like JPEGs of a real benchmark size, in several
 * configurations (after one untimed pass of the first over every question, for the JIT): batch 1 with images decoded inline (the reference's way: one question at a time, its image
 * opened when it is asked) against batched generation with background decoding. Every configuration answers the
 * same questions with the same greedy settings, so the answers are identical (checked: {@code same_answers}) and so
 * is the work: every answer runs to {@code --new-tokens} unless the random model emits EOS or the stop string,
 * counted in {@code stopped_early} (identical across configurations). A harness, not a test: {@code bin/bench-eval};
 * see docs/benchmarks.md.
 *
 * <p>Usage: {@code EvalBench [--questions 48] [--new-tokens 32] [--configs 1i,1,4,8] [--decode-threads 1]
 * [--ahead 2] [--text-only 0] [--image 640x480] [--model small|tiny] [--backend nd4j] [--runs 1] [--warmup 4]
 * [--work DIR]}. A configuration is {@code B} (batch B, background decoding), {@code Bi} (batch B, inline decoding)
 * with an optional {@code wW} (length grouping over W batches), e.g. {@code 8w4}.
 */
public final class EvalBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalBench() {}

    /** One configuration: batch size, inline or background decoding, grouping window in batches. */
    record Config(String name, int batch, boolean inline, int window) {
        static Config parse(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]*)(i?)(?:w([1-9][0-9]*))?")
                    .matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("--configs: '" + s + "' is not B, Bi or B[i]wW (e.g. 1i, 8, 8w4)");
            }
            return new Config(
                    s,
                    Integer.parseInt(m.group(1)),
                    !m.group(2).isEmpty(),
                    m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        }
    }

    record Options(
            int questions,
            int newTokens,
            List<Config> configs,
            int decodeThreads,
            int ahead,
            double textOnly,
            int width,
            int height,
            String model,
            String backend,
            int runs,
            int warmup,
            Path work) {
        static Options parse(List<String> args) {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("--questions", "48");
            v.put("--new-tokens", "32");
            v.put("--configs", "1i,1,4,8");
            v.put("--decode-threads", "1");
            v.put("--ahead", "2");
            v.put("--text-only", "0");
            v.put("--image", "640x480");
            v.put("--model", "small");
            v.put("--backend", "nd4j");
            v.put("--runs", "1");
            v.put("--warmup", "4");
            v.put("--work", "target/bench-eval");
            for (int i = 0; i < args.size(); i += 2) {
                String k = args.get(i);
                if (!v.containsKey(k)) {
                    throw new IllegalArgumentException("unknown option " + k + " (known: " + v.keySet() + ")");
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(k + " needs a value");
                }
                v.put(k, args.get(i + 1));
            }
            String[] wh = v.get("--image").split("x");
            if (wh.length != 2) {
                throw new IllegalArgumentException("--image must be WIDTHxHEIGHT, got " + v.get("--image"));
            }
            String model = v.get("--model");
            if (!model.equals("small") && !model.equals("tiny")) {
                throw new IllegalArgumentException("--model must be small or tiny, got " + model);
            }
            return new Options(
                    Integer.parseInt(v.get("--questions")),
                    Integer.parseInt(v.get("--new-tokens")),
                    Arrays.stream(v.get("--configs").split(","))
                            .map(Config::parse)
                            .toList(),
                    Integer.parseInt(v.get("--decode-threads")),
                    Integer.parseInt(v.get("--ahead")),
                    Double.parseDouble(v.get("--text-only")),
                    Integer.parseInt(wh[0]),
                    Integer.parseInt(wh[1]),
                    model,
                    v.get("--backend"),
                    Integer.parseInt(v.get("--runs")),
                    Integer.parseInt(v.get("--warmup")),
                    Path.of(v.get("--work")));
        }

        QuestionAnswerer.Options answererOptions(Config c) {
            return new QuestionAnswerer.Options(
                    c.batch(),
                    c.inline() ? 0 : decodeThreads,
                    DType.FLOAT,
                    ahead,
                    c.window(),
                    QuestionAnswerer.DEFAULT_KV_CACHE_BUDGET_BYTES);
        }
    }

    public static void main(String[] args) throws Exception {
        measure(Options.parse(List.of(args)), System.out, System.err);
    }

    /** Runs every configuration of every run; JSON lines to {@code out}, progress and the table to {@code log}. */
    static List<Map<String, Object>> measure(Options o, PrintStream out, PrintStream log) throws IOException {
        Files.createDirectories(o.work());
        LlavaDirectory dir = LlavaDirectory.open(BenchInputs.model(o.work(), o.model()), null);
        Path images = o.work().resolve("images");
        List<EvalQuestion> questions =
                BenchInputs.questions(images, o.questions(), o.textOnly(), o.width(), o.height());
        long withImage = questions.stream().filter(EvalQuestion::hasImage).count();
        log.printf(
                Locale.ROOT,
                "bench-eval: %s model, %d questions (%d with a %dx%d JPEG), %d new tokens, backend %s%n",
                o.model(),
                questions.size(),
                withImage,
                o.width(),
                o.height(),
                o.newTokens(),
                o.backend());
        // the loader runners' settings; the bench model's config says pad, as ShareGPT4V's
        RunnerSettings settings = new RunnerSettings("vicuna_v1", ImagePolicy.MODEL_CONFIG, o.newTokens());
        List<Map<String, Object>> lines = new ArrayList<>();
        if (o.warmup() > 0) {
            // JIT: without it the first configuration of a fresh JVM ran up to 1.8x slower (decode steps, image
            // decoding) than the same configuration in later runs
            log.printf(
                    Locale.ROOT,
                    "bench-eval: warm-up, config %s on every question, untimed%n",
                    o.configs().get(0).name());
            runConfig(o, o.configs().get(0), dir, settings, questions, images);
        }
        for (int run = 1; run <= o.runs(); run++) {
            Map<String, Object> first = null;
            for (Config c : o.configs()) {
                log.printf(Locale.ROOT, "bench-eval: run %d, config %s, load average %s%n", run, c.name(), load());
                Map<String, Object> line = runConfig(o, c, dir, settings, questions, images);
                line.put("run", run);
                if (first == null) {
                    first = line;
                }
                line.put(
                        "questions_per_s_vs_first",
                        (double) line.get("questions_per_s") / (double) first.get("questions_per_s"));
                line.put("same_answers_as_first", line.get("answers_digest").equals(first.get("answers_digest")));
                out.println(json(line));
                lines.add(line);
            }
        }
        log.println();
        log.print(table(lines));
        return lines;
    }

    private static Map<String, Object> runConfig(
            Options o, Config c, LlavaDirectory dir, RunnerSettings settings, List<EvalQuestion> questions, Path images)
            throws IOException {
        long[] digest = {17};
        int[] early = {0};
        AnswerStats s;
        long cpu0;
        try (QuestionAnswerer a = new QuestionAnswerer(dir, Backends.create(o.backend()), o.answererOptions(c))) {
            if (o.warmup() > 0) {
                a.answer(settings, questions.subList(0, Math.min(o.warmup(), questions.size())), images, (q, r) -> {});
            }
            cpu0 = processCpuNanos();
            s = a.answer(settings, questions, images, (q, r) -> {
                digest[0] = 31 * digest[0] + Arrays.hashCode(r.tokenIds());
                early[0] += r.finishReason() == FinishReason.LENGTH ? 0 : 1;
            });
        }
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("bench", "eval_answer");
        l.put("config", c.name());
        l.put("batch", c.batch());
        l.put("decoding", c.inline() ? "inline" : "background x" + o.decodeThreads());
        l.put("group_window_batches", c.window());
        l.put("model", o.model());
        l.put("backend", o.backend());
        l.put("questions", s.questions());
        l.put("text_only_fraction", o.textOnly());
        l.put("image", o.width() + "x" + o.height());
        l.put("max_new_tokens", o.newTokens());
        l.put("new_tokens", s.newTokens());
        l.put("stopped_early", early[0]);
        l.put("wall_s", s.wallNanos() / 1e9);
        l.put("questions_per_s", s.questionsPerSecond());
        l.put("new_tokens_per_s", s.tokensPerSecond());
        // CPU seconds of the whole process (every thread) during the timed call: on a shared machine the work done,
        // where the wall time also holds the time other processes had the cores
        l.put("cpu_s", cpuSeconds);
        l.put("questions_per_cpu_s", s.questions() / cpuSeconds);
        l.put("prompt_positions", s.promptPositions());
        l.put("prefill_positions", s.prefillPositions());
        l.put("padding_factor", s.paddingFactor());
        l.put("prefill_s", s.prefillNanos() / 1e9);
        l.put("decode_s", s.decodeNanos() / 1e9);
        l.put("image_wait_s", s.imageWaitNanos() / 1e9);
        l.put("image_wait_fraction", s.imageWaitNanos() / (double) s.wallNanos());
        l.put("prefill_fraction", s.prefillNanos() / (double) s.wallNanos());
        l.put("decode_fraction", s.decodeNanos() / (double) s.wallNanos());
        l.put("answers_digest", Long.toHexString(digest[0]));
        l.put("load_average", load());
        return l;
    }

    static String table(List<Map<String, Object>> lines) {
        StringBuilder b = new StringBuilder(
                "| run | config | decoding | questions/s | vs first | questions per CPU s | new tokens/s | image wait % |"
                        + " prefill positions / prompt positions | prefill % |"
                        + " decode % | prefill s | decode s | wall s | same answers |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map<String, Object> l : lines) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.2f | %.2f | %.2f | %.1f | %.1f | %.3f | %.1f | %.1f | %.2f | %.2f | %.2f | %s |%n",
                    l.get("run"),
                    l.get("config"),
                    l.get("decoding"),
                    num(l, "questions_per_s"),
                    num(l, "questions_per_s_vs_first"),
                    num(l, "questions_per_cpu_s"),
                    num(l, "new_tokens_per_s"),
                    100 * num(l, "image_wait_fraction"),
                    num(l, "padding_factor"),
                    100 * num(l, "prefill_fraction"),
                    100 * num(l, "decode_fraction"),
                    num(l, "prefill_s"),
                    num(l, "decode_s"),
                    num(l, "wall_s"),
                    l.get("same_answers_as_first")));
        }
        return b.toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double num(Map<String, Object> l, String k) {
        return ((Number) l.get(k)).doubleValue();
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One JSON line, doubles to 4 significant digits. */
    static String json(Map<String, Object> fields) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(
                k,
                v instanceof Double d && Double.isFinite(d) && d != 0
                        ? new BigDecimal(d).round(new MathContext(4)).doubleValue()
                        : v));
        return JSON.writeValueAsString(out);
    }
}
