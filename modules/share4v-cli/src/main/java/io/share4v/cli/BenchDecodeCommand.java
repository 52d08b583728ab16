package io.share4v.cli;

import io.share4v.common.config.ConfigChecks;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.generate.FinishReason;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.GenerationResult;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.backend.Backend;
import java.util.Arrays;
import java.util.List;
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
@Command(
        name = "bench-decode",
        mixinStandardHelpOptions = true,
        description =
                "Time greedy KV-cached decoding of a LLaVA checkpoint (batch 1, one image); prints one JSON line.")
public final class BenchDecodeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelRunOptions modelRun;

    @Option(names = "--new-tokens", required = true, description = "Tokens to generate per run (>= 2).")
    int newTokens;

    @Option(
            names = "--prompt-len",
            defaultValue = "32",
            description = "Text ids of the prompt incl. BOS (default: ${DEFAULT-VALUE}); the image adds its tokens.")
    int promptLen;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    ProfileOptions profile;

    @Mixin
    SyntheticInputs inputs = new SyntheticInputs(3);

    @Override
    public Integer call() throws Exception {
        ConfigChecks.require(newTokens >= 2, "--new-tokens", newTokens, ">= 2");
        ConfigChecks.positive("--prompt-len", promptLen);
        ConfigChecks.positive("--runs", runs);
        BenchLine line = BenchLine.start("decode", modelRun.modelDir());
        ModelDir dir = modelRun.open();
        LlavaConfig cfg = dir.config();
        Backend backend = modelRun.createBackend();
        // The generator keeps its own caches and activations; the model only lends weights and the vision tower.
        LlavaModel m = dir.load(LlavaModel.Options.of(1, 2, 1, Trainable.none()), profile.wrap(backend));
        String kernels = m.kernels().name(); // before profiling starts: the name is no kernel call to time
        int[] ids = inputs.imagePrompts(cfg.llm(), 1, promptLen - 1)[0];
        Prompt prompt = new Prompt(ids, List.of(inputs.images(cfg.vision(), 1)[0]));
        int spliced = ids.length - 1 + cfg.imageTokens();
        Generator gen = new Generator(m, null, 1, spliced + newTokens - 1, spliced);

        gen.generate(List.of(prompt), GenerationConfig.greedy(Math.min(newTokens, 8))); // warm-up
        double[] tps = new double[runs];
        long tokens = 0;
        long decodeNanos = 0;
        double[] prefill = new double[runs];
        int minTokens = Integer.MAX_VALUE;
        int[] head = null;
        for (int i = 0; i < runs; i++) {
            // the profile covers the decode steps only: it starts when the prefill's logits arrive
            GenerationResult res = gen.generate(
                    List.of(prompt),
                    GenerationConfig.greedy(newTokens),
                    (sample, step, logits) -> profile.timing(true));
            profile.timing(false);
            tps[i] = res.decodeTokensPerSecond();
            tokens += res.decodeTokens();
            decodeNanos += res.decodeNanos();
            prefill[i] = res.prefillMillis();
            int[] got = res.sequences().get(0).tokenIds();
            minTokens = Math.min(minTokens, got.length);
            head = Arrays.copyOf(got, Math.min(8, got.length));
            FinishReason why = res.sequences().get(0).finishReason();
            spec.commandLine()
                    .getErr()
                    .printf(
                            "bench-decode: run %d: prefill %.1f ms, %d cached steps, %.1f tokens/s" + " (%s)%n",
                            i, prefill[i], res.decodeTokens(), tps[i], why);
        }
        double med = BenchSupport.median(tps);
        line.put("batch", 1)
                .put("prompt_text_len", promptLen)
                .put("prompt_seq_len", spliced)
                .put("new_tokens", newTokens)
                .put("new_tokens_min", minTokens)
                .put("runs", runs)
                .put("tokens_per_s", med, 1)
                .put("tokens_per_s_best", Arrays.stream(tps).max().orElse(Double.NaN), 1)
                .put("ms_per_token", 1e3 / med, 2)
                .put("prefill_ms", BenchSupport.median(prefill), 1)
                .putPeakRss();
        if (profile.enabled) {
            line.put(
                    "profile_ms_per_token",
                    profile.millisPerUnit((int) Math.max(1, tokens), "(outside kernels)", decodeNanos / 1e6, 3));
        }
        line.put("generated_ids_head", head)
                .putEnvironment(modelRun.blasPool(), kernels, false)
                .print(spec.commandLine().getOut());
        return 0;
    }
}
