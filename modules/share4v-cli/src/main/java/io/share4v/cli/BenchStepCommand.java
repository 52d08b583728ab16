package io.share4v.cli;

import io.share4v.common.config.ConfigChecks;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.optim.AdamW;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v bench-step}: time of one training step (zero_grad, forward + backward as
 * {@link LlavaModel#trainStep}, AdamW) of any HF-layout
 * LLaVA checkpoint on a synthetic batch, printed as one JSON line. Each sample is
 * {@code [BOS, <image>, T random text ids]} with the text supervised and one random image, no padding, so the
 * spliced sequence is {@code T + 1 + image_tokens}; AdamW is the ShareGPT4V recipe's (lr 2e-5, betas 0.9/0.999,
 * eps 1e-8, no weight decay). The time is the median of the timed steps after the warm-up steps.
 *
 * <p>A measurement for a human (docs/benchmarks.md, bin/bench-model), never asserted by a test.
 */
@Command(
        name = "bench-step",
        mixinStandardHelpOptions = true,
        description =
                "Time forward + backward + AdamW steps of a LLaVA checkpoint on synthetic data; prints one JSON line.")
public final class BenchStepCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelRunOptions modelRun;

    @Option(names = "--batch", required = true, description = "Samples per step (one image each).")
    int batch;

    @Option(names = "--text-len", required = true, description = "Text tokens per sample after [BOS, <image>].")
    int textLen;

    @Option(names = "--steps", required = true, description = "Timed steps (after the warm-up).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    ProfileOptions profile;

    @Mixin
    SyntheticInputs inputs = new SyntheticInputs(0);

    @Option(
            names = "--scope",
            defaultValue = "stage2",
            description = "What trains: stage2 (LLM + projector, default), stage1 (also tower layers >= L/2), all.")
    String scope;

    @Option(
            names = "--recompute",
            description = "Recompute layer activations in the backward (gradient checkpointing).")
    boolean recompute;

    @Option(
            names = "--fused-loss",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Loss and d(logits) in one pass (LlavaModel.trainStep; default: on).")
    boolean fusedLoss;

    @Option(
            names = "--gemm-peak",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Also time a 2048^3 FP32 GEMM (this machine's peak) after the steps (default: on).")
    boolean gemmPeak;

    static Trainable scope(String name, LlavaConfig cfg) {
        return switch (name) {
            case "stage1" -> Trainable.stage1(cfg.vision().numLayers() / 2);
            case "stage2" -> Trainable.stage2();
            case "all" -> Trainable.all();
            default ->
                throw new IllegalArgumentException("--scope " + name + " is invalid: expected stage1, stage2 or all");
        };
    }

    @Override
    public Integer call() throws Exception {
        ConfigChecks.positive("--batch", batch);
        ConfigChecks.positive("--text-len", textLen);
        ConfigChecks.positive("--steps", steps);
        ConfigChecks.require(warmup >= 0, "--warmup", warmup, ">= 0");
        BenchLine line = BenchLine.start("step", modelRun.modelDir());
        ModelDir dir = modelRun.open();
        LlavaConfig cfg = dir.config();
        Trainable tr = scope(scope, cfg);
        Backend backend = modelRun.createBackend();
        int seq = textLen + 1 + cfg.imageTokens();
        LlavaModel m =
                dir.load(LlavaModel.Options.of(batch, seq, batch, tr).withRecompute(recompute), profile.wrap(backend));
        String kernels = m.kernels().name(); // before profiling starts: the name is no kernel call to time
        double rssLoaded = BenchSupport.rssMb();

        int[][] ids = inputs.imagePrompts(cfg.llm(), batch, textLen);
        Batch data = Batch.of(ids, SyntheticInputs.textLabels(ids), inputs.images(cfg.vision(), batch));
        AdamW opt = AdamW.over(
                new AdamW.Config(2e-5, 0.9, 0.999, 1e-8, 0.0),
                tr.ranges(m.layout()),
                backend,
                m.layout().totalSize());

        double[] times = new double[steps];
        double optimizerMs = 0;
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < warmup + steps; i++) {
            profile.timing(i >= warmup);
            long t0 = System.nanoTime();
            m.zeroGrad();
            double loss;
            if (fusedLoss) {
                loss = m.trainStep(data).mean();
            } else {
                loss = m.forward(data).loss().mean();
                m.backward();
            }
            long t1 = System.nanoTime();
            opt.step(m.params(), m.grads());
            long t2 = System.nanoTime();
            double ms = (t2 - t0) / 1e6;
            if (i >= warmup) {
                optimizerMs += (t2 - t1) / 1e6;
            }
            losses.add(loss);
            if (i >= warmup) {
                times[i - warmup] = ms;
            }
            spec.commandLine()
                    .getErr()
                    .printf("bench-step: step %d: %.1f ms, loss %.4f%s%n", i, ms, loss, i < warmup ? " (warm-up)" : "");
        }
        double med = BenchSupport.median(times);
        double best = BenchSupport.min(times);
        double gflop = StepFlops.gflop(cfg, tr, batch, seq);
        long trainable = tr.ranges(m.layout()).stream().mapToLong(x -> x.size()).sum();

        line.put("batch", batch)
                .put("text_len", textLen)
                .put("seq_len", seq)
                .put("tokens", (long) batch * seq)
                .put("scope", scope)
                .put("recompute", recompute)
                .put("fused_loss", fusedLoss)
                .put("steps", steps)
                .put("warmup", warmup)
                .put("ms_per_step", med, 1)
                .put("ms_per_step_best", best, 1)
                .put("ms_per_step_all", BenchSupport.round(times, 1))
                .putPeakRss()
                .put("rss_after_load_mb", rssLoaded, 1)
                .put("trainable_params", trainable)
                .put("total_params", m.layout().totalSize())
                .put("gflop_per_step", gflop, 2)
                .put("gflops", gflop / (med / 1e3), 1)
                .put("gflops_best", gflop / (best / 1e3), 1);
        if (gemmPeak) {
            double[] g = BenchSupport.gemmGflops(backend, 2048, 5);
            line.put("gemm_2048_gflops", g[0], 1)
                    .put("gemm_2048_gflops_median", g[1], 1)
                    .put("fraction_of_gemm_peak", gflop / (med / 1e3) / g[0], 3);
        }
        line.put("adamw_ms", optimizerMs / steps, 1);
        if (profile.enabled) {
            double stepsMs = Arrays.stream(times).sum();
            line.put(
                    "profile_ms_per_step",
                    profile.millisPerUnit(steps, "(outside kernels and AdamW)", stepsMs - optimizerMs, 1));
        }
        line.put("loss_first", losses.get(0), 5)
                .put("loss_last", losses.get(losses.size() - 1), 5)
                .putEnvironment(modelRun.blasPool(), kernels, true)
                .print(spec.commandLine().getOut());
        return 0;
    }
}
