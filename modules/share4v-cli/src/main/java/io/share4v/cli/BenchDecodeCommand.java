package io.share4v.cli;

import io.share4v.data.Tokens;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.generate.FinishReason;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.GenerationResult;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.Nd4jRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v bench-decode}: greedy KV-cached decoding speed of any HF-layout LLaVA checkpoint, batch 1, one
 * image prompt {@code [BOS, <image>, prompt_len-1 random ids]}, printed as one JSON line. {@code tokens_per_s}
 * counts the single-token decode steps only (the prefill, which also yields the first token, is
 * {@code prefill_ms}); median over the runs after one short warm-up run. EOS stops a run early, as in real
 * decoding; {@code new_tokens_min} shows whether that happened.
 *
 * <p>A measurement for a human (docs/benchmarks.md, bin/bench-model), never asserted by a test.
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Time greedy KV-cached decoding of a LLaVA checkpoint (batch 1, one image); prints one JSON line.")
public final class BenchDecodeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--new-tokens", required = true, description = "Tokens to generate per run (>= 2).")
    int newTokens;

    @Option(names = "--prompt-len", defaultValue = "32",
            description = "Text ids of the prompt incl. BOS (default: ${DEFAULT-VALUE}); the image adds its tokens.")
    int promptLen;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    ThreadOptions threadOptions;

    @Option(names = "--kernels", defaultValue = "nd4j", description = "nd4j (default) or scalar.")
    String kernels;

    @Option(names = "--profile",
            description = "Time every kernel call of the timed decode steps (adds 'profile_ms_per_token').")
    boolean profile;

    @Option(names = "--seed", defaultValue = "3", description = "Seed of the prompt ids and pixels.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (newTokens < 2) {
            throw new IllegalArgumentException("--new-tokens = " + newTokens + " is invalid: expected >= 2");
        }
        if (promptLen < 1 || runs < 1) {
            throw new IllegalArgumentException("--prompt-len = " + promptLen + " and --runs = " + runs
                    + " must be >= 1");
        }
        double[] loadBefore = BenchSupport.loadAverage();
        ModelDir dir = modelOptions.open();
        LlavaConfig cfg = dir.config();
        Nd4jRuntime rt = threadOptions.runtime();
        Kernels k = Kernels.create(kernels);
        KernelTimer timer = new KernelTimer();
        // The generator keeps its own caches and activations; the model only lends weights and the vision tower.
        LlavaModel m = dir.load(LlavaModel.Options.of(1, 2, 1, Trainable.none()), profile ? timer.wrap(k) : k);
        int[] ids = new int[promptLen + 1];
        ids[0] = cfg.llm().bosTokenId();
        ids[1] = Tokens.IMAGE_TOKEN_INDEX;
        Random r = new Random(seed);
        for (int t = 2; t < ids.length; t++) {
            ids[t] = 3 + r.nextInt(cfg.llm().vocabSize() - 3);
        }
        Prompt prompt = new Prompt(ids, List.of(BenchSupport.images(cfg.vision(), 1, seed + 1)[0]));
        int spliced = ids.length - 1 + cfg.imageTokens();
        Generator gen = new Generator(m, null, 1, spliced + newTokens - 1);

        gen.generate(List.of(prompt), GenerationConfig.greedy(Math.min(newTokens, 8)));   // warm-up
        double[] tps = new double[runs];
        long tokens = 0;
        long decodeNanos = 0;
        double[] prefill = new double[runs];
        int minTokens = Integer.MAX_VALUE;
        int[] head = null;
        for (int i = 0; i < runs; i++) {
            // the profile covers the decode steps only: it starts when the prefill's logits arrive
            GenerationResult res = gen.generate(List.of(prompt), GenerationConfig.greedy(newTokens),
                    (sample, step, logits) -> timer.enable(true));
            timer.enable(false);
            tps[i] = res.decodeTokensPerSecond();
            tokens += res.decodeTokens();
            decodeNanos += res.decodeNanos();
            prefill[i] = res.prefillMillis();
            int[] got = res.sequences().get(0).tokenIds();
            minTokens = Math.min(minTokens, got.length);
            head = Arrays.copyOf(got, Math.min(8, got.length));
            FinishReason why = res.sequences().get(0).finishReason();
            spec.commandLine().getErr().printf("bench-decode: run %d: prefill %.1f ms, %d cached steps, %.1f tokens/s"
                    + " (%s)%n", i, prefill[i], res.decodeTokens(), tps[i], why);
        }
        double med = BenchSupport.median(tps);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "java");
        out.put("bench", "decode");
        out.put("model", modelOptions.model.toAbsolutePath().normalize().toString());
        out.put("batch", 1);
        out.put("prompt_text_len", promptLen);
        out.put("prompt_seq_len", spliced);
        out.put("new_tokens", newTokens);
        out.put("new_tokens_min", minTokens);
        out.put("runs", runs);
        out.put("tokens_per_s", BenchSupport.round(med, 1));
        out.put("tokens_per_s_best", BenchSupport.round(Arrays.stream(tps).max().orElse(Double.NaN), 1));
        out.put("ms_per_token", BenchSupport.round(1e3 / med, 2));
        out.put("prefill_ms", BenchSupport.round(BenchSupport.median(prefill), 1));
        out.put("peak_rss_mb", BenchSupport.round(BenchSupport.peakRssMb(), 1));
        if (profile) {
            Map<String, Object> p = new LinkedHashMap<>(timer.millisPerStep((int) Math.max(1, tokens)));
            p.put("(outside kernels)", BenchSupport.round((decodeNanos - timer.totalNanos()) / 1e6 / Math.max(1, tokens), 3));
            out.put("profile_ms_per_token", p);
        }
        List<Integer> h = new ArrayList<>();
        for (int id : head) {
            h.add(id);
        }
        out.put("generated_ids_head", h);
        out.put("threads", rt.blasThreads());
        out.put("java_processors", Runtime.getRuntime().availableProcessors());
        out.put("kernels", k.name());
        String core = System.getenv("OPENBLAS_CORETYPE");
        out.put("openblas_coretype", core == null ? "unset" : core);
        out.put("load_avg_before", loadBefore);
        out.put("load_avg_after", BenchSupport.loadAverage());
        spec.commandLine().getOut().println(BenchSupport.json(out));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
