package io.share4v.cli;

import io.share4v.data.Tokens;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.Nd4jRuntime;
import io.share4v.tensor.optim.AdamW;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code share4v bench-step}: time of one training step (zero_grad, forward + backward as
 * {@link LlavaModel#trainStep}, AdamW) of any HF-layout
 * LLaVA checkpoint on a synthetic batch, printed as one JSON line. Each sample is
 * {@code [BOS, <image>, T random text ids]} with the text supervised and one random image, no padding, so the
 * spliced sequence is {@code T + 1 + image_tokens}; AdamW is the ShareGPT4V recipe's (lr 2e-5, betas 0.9/0.999,
 * eps 1e-8, no weight decay). The time is the median of the timed steps after the warm-up steps.
 *
 * <p>A measurement for a human (docs/benchmarks.md, bin/bench-model), never asserted by a test.
 */
@Command(name = "bench-step", mixinStandardHelpOptions = true,
        description = "Time forward + backward + AdamW steps of a LLaVA checkpoint on synthetic data; prints one JSON line.")
public final class BenchStepCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--batch", required = true, description = "Samples per step (one image each).")
    int batch;

    @Option(names = "--text-len", required = true, description = "Text tokens per sample after [BOS, <image>].")
    int textLen;

    @Option(names = "--steps", required = true, description = "Timed steps (after the warm-up).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    ThreadOptions threadOptions;

    @Option(names = "--scope", defaultValue = "stage2",
            description = "What trains: stage2 (LLM + projector, default), stage1 (also tower layers >= L/2), all.")
    String scope;

    @Option(names = "--recompute", description = "Recompute layer activations in the backward (gradient checkpointing).")
    boolean recompute;

    @Option(names = "--kernels", defaultValue = "nd4j", description = "nd4j (default) or scalar.")
    String kernels;

    @Option(names = "--fused-loss", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Loss and d(logits) in one pass (LlavaModel.trainStep; default: on).")
    boolean fusedLoss;

    @Option(names = "--profile",
            description = "Time every kernel call of the timed steps (adds a 'profile' object: ms per step by kernel).")
    boolean profile;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the synthetic ids and pixels.")
    long seed;

    @Option(names = "--gemm-peak", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also time a 2048^3 FP32 GEMM (this machine's peak) after the steps (default: on).")
    boolean gemmPeak;

    static Trainable scope(String name, LlavaConfig cfg) {
        return switch (name) {
            case "stage1" -> Trainable.stage1(cfg.vision().numLayers() / 2);
            case "stage2" -> Trainable.stage2();
            case "all" -> Trainable.all();
            default -> throw new IllegalArgumentException("--scope " + name + " is invalid: expected stage1, stage2 or all");
        };
    }

    @Override
    public Integer call() throws Exception {
        require(batch >= 1, "--batch", batch);
        require(textLen >= 1, "--text-len", textLen);
        require(steps >= 1, "--steps", steps);
        require(warmup >= 0, "--warmup", warmup);
        double[] loadBefore = BenchSupport.loadAverage();
        ModelDir dir = modelOptions.open();
        LlavaConfig cfg = dir.config();
        Trainable tr = scope(scope, cfg);
        Nd4jRuntime rt = threadOptions.runtime();
        Kernels k = Kernels.create(kernels);
        KernelTimer timer = new KernelTimer();
        Kernels modelKernels = profile ? timer.wrap(k) : k;
        int seq = textLen + 1 + cfg.imageTokens();
        LlavaModel m = dir.load(LlavaModel.Options.of(batch, seq, batch, tr).withRecompute(recompute), modelKernels);
        double rssLoaded = BenchSupport.rssMb();

        int[][] ids = new int[batch][textLen + 2];
        int[][] labels = new int[batch][textLen + 2];
        Random r = new Random(seed);
        for (int b = 0; b < batch; b++) {
            ids[b][0] = cfg.llm().bosTokenId();
            ids[b][1] = Tokens.IMAGE_TOKEN_INDEX;
            labels[b][0] = Tokens.IGNORE_INDEX;
            labels[b][1] = Tokens.IGNORE_INDEX;
            for (int t = 2; t < textLen + 2; t++) {
                ids[b][t] = 3 + r.nextInt(cfg.llm().vocabSize() - 3);
                labels[b][t] = ids[b][t];
            }
        }
        Batch data = Batch.of(ids, labels, BenchSupport.images(cfg.vision(), batch, seed + 1));
        AdamW opt = AdamW.over(new AdamW.Config(2e-5, 0.9, 0.999, 1e-8, 0.0), tr.ranges(m.layout()),
                m.layout().totalSize());

        double[] times = new double[steps];
        double optimizerMs = 0;
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < warmup + steps; i++) {
            timer.enable(i >= warmup);
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
            spec.commandLine().getErr().printf("bench-step: step %d: %.1f ms, loss %.4f%s%n", i, ms, loss,
                    i < warmup ? " (warm-up)" : "");
        }
        double med = BenchSupport.median(times);
        double best = BenchSupport.min(times);
        double gflop = StepFlops.gflop(cfg, tr, batch, seq);
        long trainable = tr.ranges(m.layout()).stream().mapToLong(x -> x.size()).sum();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "java");
        out.put("bench", "step");
        out.put("model", modelOptions.model.toAbsolutePath().normalize().toString());
        out.put("batch", batch);
        out.put("text_len", textLen);
        out.put("seq_len", seq);
        out.put("tokens", (long) batch * seq);
        out.put("scope", scope);
        out.put("recompute", recompute);
        out.put("fused_loss", fusedLoss);
        out.put("steps", steps);
        out.put("warmup", warmup);
        out.put("ms_per_step", BenchSupport.round(med, 1));
        out.put("ms_per_step_best", BenchSupport.round(best, 1));
        List<Double> all = new ArrayList<>();
        for (double t : times) {
            all.add(BenchSupport.round(t, 1));
        }
        out.put("ms_per_step_all", all);
        out.put("peak_rss_mb", BenchSupport.round(BenchSupport.peakRssMb(), 1));
        out.put("rss_after_load_mb", BenchSupport.round(rssLoaded, 1));
        out.put("trainable_params", trainable);
        out.put("total_params", m.layout().totalSize());
        out.put("gflop_per_step", BenchSupport.round(gflop, 2));
        out.put("gflops", BenchSupport.round(gflop / (med / 1e3), 1));
        out.put("gflops_best", BenchSupport.round(gflop / (best / 1e3), 1));
        if (gemmPeak) {
            double[] g = BenchSupport.gemmGflops(k, 2048, 5);
            out.put("gemm_2048_gflops", BenchSupport.round(g[0], 1));
            out.put("gemm_2048_gflops_median", BenchSupport.round(g[1], 1));
            out.put("fraction_of_gemm_peak", BenchSupport.round(gflop / (med / 1e3) / g[0], 3));
        }
        out.put("adamw_ms", BenchSupport.round(optimizerMs / steps, 1));
        if (profile) {
            Map<String, Object> p = new LinkedHashMap<>(timer.millisPerStep(steps));
            double sumTimes = java.util.Arrays.stream(times).sum();
            p.put("(outside kernels and AdamW)", BenchSupport.round((sumTimes - timer.totalNanos() / 1e6 - optimizerMs)
                    / steps, 1));
            out.put("profile_ms_per_step", p);
        }
        out.put("loss_first", BenchSupport.round(losses.get(0), 5));
        out.put("loss_last", BenchSupport.round(losses.get(losses.size() - 1), 5));
        out.put("threads", rt.blasThreads());
        out.put("java_processors", Runtime.getRuntime().availableProcessors());
        out.put("kernels", k.name());
        out.put("blas", rt.describe());
        String core = System.getenv("OPENBLAS_CORETYPE");
        out.put("openblas_coretype", core == null ? "unset" : core);
        out.put("load_avg_before", loadBefore);
        out.put("load_avg_after", BenchSupport.loadAverage());
        spec.commandLine().getOut().println(BenchSupport.json(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void require(boolean ok, String option, int value) {
        if (!ok) {
            throw new IllegalArgumentException(option + " = " + value + " is invalid: expected a positive number");
        }
    }
}
