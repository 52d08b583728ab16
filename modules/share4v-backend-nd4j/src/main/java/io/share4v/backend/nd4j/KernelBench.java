package io.share4v.backend.nd4j;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.AttentionMask;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.ops.Kernels;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kernel benchmarks, printed as Markdown tables: (1) FP32 GEMM GFLOP/s through {@link Kernels#gemm} and, for
 * comparison, ND4J's own {@code Nd4j.gemm}, per BLAS thread count; (2) the time of every kernel in one training
 * step of a small LLaMA decoder (forward + backward of {@code layers} blocks, lm_head and loss), summed by kernel.
 * No assertions; the numbers go to docs/benchmarks.md.
 *
 * <p>Usage: {@code KernelBench [gemm=1024,2048] [threads=1,2] [step=true] [kernels=nd4j] [hidden=512]
 * [heads=8] [ffn=1376] [seq=256] [batch=4] [vocab=32000] [layers=2] [reps=3]}.
 */
public final class KernelBench {
    private final Map<String, String> opts;
    private final PrintStream out;
    private final Random weights = new Random(5);
    private Backend backend;

    private KernelBench(Map<String, String> opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
    }

    public static void main(String[] args) {
        run(args, System.out);
    }

    /** Runs the benchmarks selected by {@code key=value} arguments. */
    public static void run(String[] args, PrintStream out) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new KernelBench(opts, out).run();
    }

    private void run() {
        int[] threads = ints("threads", "1,2");
        backend = Backends.create(opts.getOrDefault("kernels", Backends.DEFAULT));
        Kernels k = backend.kernels();
        out.println("# kernels: " + k.name());
        if (ints("gemm", "1024,2048").length > 0) {
            out.println();
            out.println(
                    "| n | BLAS threads | Kernels.gemm GFLOP/s (best, median) | Nd4j.gemm GFLOP/s (best, median) |");
            out.println("|---|---|---|---|");
            for (int n : ints("gemm", "1024,2048")) {
                for (int t : threads) {
                    Nd4jRuntime.configure(t, Nd4jRuntime.get().ompThreads());
                    out.println("| " + n + " | " + t + " | " + gemm(k, n, false) + " | " + gemm(k, n, true) + " |");
                }
            }
        }
        if (Boolean.parseBoolean(opts.getOrDefault("step", "true"))) {
            for (int t : threads) {
                Nd4jRuntime.configure(t, Nd4jRuntime.get().ompThreads());
                step(k, t);
            }
        }
    }

    private String gemm(Kernels k, int n, boolean viaNd4j) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.zeros(DataType.FLOAT, n, n);
        Tensor ta = upload(a.toFloatVector(), n, n);
        Tensor tb = upload(b.toFloatVector(), n, n);
        Tensor tc = z(n, n);
        double flops = 2.0 * n * n * n;
        int reps = n <= 1024 ? 10 : 4;
        double[] gf = new double[reps];
        for (int r = -2; r < reps; r++) {
            long t0 = System.nanoTime();
            if (viaNd4j) {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            } else {
                k.gemm(tc, ta, false, tb, false, 1f, 0f);
            }
            long t1 = System.nanoTime();
            if (r >= 0) {
                gf[r] = flops / (t1 - t0);
            }
        }
        Arrays.sort(gf);
        return String.format("%.0f, %.0f", gf[reps - 1], gf[reps / 2]);
    }

    // ---------------------------------------------------------------- one decoder training step

    private void step(Kernels k, int blasThreads) {
        int c = intOpt("hidden", 512);
        int h = intOpt("heads", 8);
        int f = intOpt("ffn", 1376);
        int t = intOpt("seq", 256);
        int b = intOpt("batch", 4);
        int vocab = intOpt("vocab", 32000);
        int layers = intOpt("layers", 2);
        int reps = intOpt("reps", 3);
        int d = c / h;
        int n = b * t;
        Random rng = new Random(5);
        // params (per layer) and activations, all preallocated
        List<Tensor[]> w = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            w.add(new Tensor[] {r(c, c), r(c, c), r(c, c), r(c, c), r(f, c), r(f, c), r(c, f), ones(c), ones(c)});
        }
        Tensor emb = r(vocab, c);
        Tensor head = r(vocab, c);
        Tensor normF = ones(c);
        Tensor[] dW = {z(c, c), z(c, c), z(c, c), z(c, c), z(f, c), z(f, c), z(c, f), z(c), z(c)};
        Tensor dHead = z(vocab, c);
        Tensor dEmb = z(vocab, c);
        Tensor dNormF = z(c);
        Tensor[] x = new Tensor[layers + 1];
        for (int l = 0; l <= layers; l++) {
            x[l] = z(n, c);
        }
        Tensor xn1 = z(n, c);
        Tensor rstd1 = z(n);
        Tensor q = z(n, c);
        Tensor kk = z(n, c);
        Tensor v = z(n, c);
        Tensor att = z(n, c);
        Tensor probs = z(b, h, t, t);
        Tensor o = z(n, c);
        Tensor x2 = z(n, c);
        Tensor xn2 = z(n, c);
        Tensor rstd2 = z(n);
        Tensor gate = z(n, f);
        Tensor up = z(n, f);
        Tensor hh = z(n, f);
        Tensor mlp = z(n, c);
        Tensor xf = z(n, c);
        Tensor rstdF = z(n);
        Tensor logits = z(n, vocab);
        Tensor cos = r(t, d);
        Tensor sin = r(t, d);
        Tensor dx = z(n, c);
        Tensor dtmp = z(n, c);
        Tensor dtmp2 = z(n, c);
        Tensor dq = z(n, c);
        Tensor dk = z(n, c);
        Tensor dv = z(n, c);
        Tensor dh = z(n, f);
        Tensor dgate = z(n, f);
        Tensor dup = z(n, f);
        int[] ids = new int[n];
        int[] targets = new int[n];
        int[] valid = new int[b];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(vocab);
            targets[i] = i % 5 == 0 ? -100 : rng.nextInt(vocab);
        }
        for (int i = 0; i < b; i++) {
            valid[i] = t - i * 7;
        }
        AttentionShape s = AttentionShape.causal(b, t, h, h, d, AttentionMask.validLength(valid));
        Timer tm = new Timer();
        Runnable stepRun = () -> {
            tm.time("embedding", () -> k.embeddingForward(x[0], emb, ids));
            for (int l = 0; l < layers; l++) {
                Tensor[] p = w.get(l);
                forwardLayer(
                        k, tm, p, x[l], x[l + 1], xn1, rstd1, q, kk, v, att, probs, o, x2, xn2, rstd2, gate, up, hh,
                        mlp, cos, sin, s);
            }
            tm.time("rmsnorm", () -> k.rmsNormForward(xf, rstdF, x[layers], normF, 1e-6f));
            tm.time("linear lm_head", () -> k.linearForward(logits, xf, head, null));
            tm.time("cross-entropy", () -> k.crossEntropy(logits, logits, targets, -100, 1f / n));
            tm.time("linear lm_head bwd", () -> k.linearBackward(dtmp, dHead, null, logits, xf, head));
            tm.time("rmsnorm bwd", () -> k.rmsNormBackward(dx, dNormF, dtmp, x[layers], rstdF, normF));
            for (int l = layers - 1; l >= 0; l--) {
                Tensor[] p = w.get(l);
                Tensor xin = x[l];
                // recompute this layer's activations (the bench keeps one set), then its backward
                forwardLayer(
                        k, null, p, xin, x[l + 1], xn1, rstd1, q, kk, v, att, probs, o, x2, xn2, rstd2, gate, up, hh,
                        mlp, cos, sin, s);
                // MLP branch: x3 = x2 + down(swiglu(gate(xn2), up(xn2)))
                tm.time("linear bwd", () -> k.linearBackward(dh, dW[6], null, dx, hh, p[6]));
                tm.time("swiglu bwd", () -> k.swigluBackward(dgate, dup, dh, gate, up));
                tm.time("linear bwd", () -> k.linearBackward(dtmp, dW[4], null, dgate, xn2, p[4]));
                tm.time("linear bwd", () -> k.linearBackward(dtmp2, dW[5], null, dup, xn2, p[5]));
                tm.time("add", () -> k.addInPlace(dtmp, dtmp2));
                tm.time("rmsnorm bwd", () -> k.rmsNormBackward(dtmp2, dW[8], dtmp, x2, rstd2, p[8]));
                tm.time("add", () -> k.addInPlace(dx, dtmp2)); // dx now d(x2)
                // attention branch: x2 = x + o_proj(attn(rope(q), rope(k), v))
                tm.time("linear bwd", () -> k.linearBackward(dtmp, dW[3], null, dx, att, p[3]));
                tm.time("attention bwd", () -> k.attentionBackward(dq, dk, dv, dtmp, probs, q, kk, v, s));
                tm.time("rope", () -> k.rope(dq, cos, sin, b, t, h, d, true));
                tm.time("rope", () -> k.rope(dk, cos, sin, b, t, h, d, true));
                tm.time("linear bwd", () -> k.linearBackward(dtmp, dW[0], null, dq, xn1, p[0]));
                tm.time("linear bwd", () -> k.linearBackward(dtmp2, dW[1], null, dk, xn1, p[1]));
                tm.time("add", () -> k.addInPlace(dtmp, dtmp2));
                tm.time("linear bwd", () -> k.linearBackward(dtmp2, dW[2], null, dv, xn1, p[2]));
                tm.time("add", () -> k.addInPlace(dtmp, dtmp2));
                tm.time("rmsnorm bwd", () -> k.rmsNormBackward(dtmp2, dW[7], dtmp, xin, rstd1, p[7]));
                tm.time("add", () -> k.addInPlace(dx, dtmp2));
            }
            tm.time("embedding bwd", () -> k.embeddingBackward(dEmb, dx, ids));
            tm.time("zero grads", () -> {
                for (Tensor g : dW) {
                    k.zero(g);
                }
                k.zero(dHead);
                k.zero(dEmb);
            });
        };
        stepRun.run(); // warm-up
        tm.reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            stepRun.run();
        }
        double stepMs = (System.nanoTime() - t0) / 1e6 / reps;
        double gemmFlops = gemmFlops(n, c, f, vocab, layers, b, h, t, d);
        out.println();
        out.printf(
                "## step: hidden %d, heads %d, ffn %d, seq %d, batch %d, vocab %d, layers %d; BLAS threads %d; "
                        + "%.0f ms/step (mean of %d), GEMM work %.1f GFLOP -> %.0f GFLOP/s overall%n",
                c, h, f, t, b, vocab, layers, blasThreads, stepMs, reps, gemmFlops / 1e9, gemmFlops / stepMs / 1e6);
        out.println();
        out.println("| kernel | ms/step | share |");
        out.println("|---|---|---|");
        double total = tm.totalNanos() / 1e6 / reps;
        tm.totals().entrySet().stream()
                .sorted((e1, e2) -> Long.compare(e2.getValue(), e1.getValue()))
                .forEach(e -> out.printf(
                        "| %s | %.1f | %.0f%% |%n",
                        e.getKey(), e.getValue() / 1e6 / reps, 100.0 * e.getValue() / 1e6 / reps / total));
        out.printf("| (timed kernels total) | %.1f | |%n", total);
    }

    private static void forwardLayer(
            Kernels k,
            Timer tm,
            Tensor[] p,
            Tensor xin,
            Tensor xout,
            Tensor xn1,
            Tensor rstd1,
            Tensor q,
            Tensor kk,
            Tensor v,
            Tensor att,
            Tensor probs,
            Tensor o,
            Tensor x2,
            Tensor xn2,
            Tensor rstd2,
            Tensor gate,
            Tensor up,
            Tensor hh,
            Tensor mlp,
            Tensor cos,
            Tensor sin,
            AttentionShape s) {
        Timer t = tm != null ? tm : new Timer();
        t.time("rmsnorm", () -> k.rmsNormForward(xn1, rstd1, xin, p[7], 1e-6f));
        t.time("linear", () -> k.linearForward(q, xn1, p[0], null));
        t.time("linear", () -> k.linearForward(kk, xn1, p[1], null));
        t.time("linear", () -> k.linearForward(v, xn1, p[2], null));
        t.time("rope", () -> k.rope(q, cos, sin, s.batch(), s.seq(), s.heads(), s.headDim(), false));
        t.time("rope", () -> k.rope(kk, cos, sin, s.batch(), s.seq(), s.heads(), s.headDim(), false));
        t.time("attention", () -> k.attentionForward(att, probs, q, kk, v, s));
        t.time("linear", () -> k.linearForward(o, att, p[3], null));
        t.time("add", () -> k.add(x2, xin, o));
        t.time("rmsnorm", () -> k.rmsNormForward(xn2, rstd2, x2, p[8], 1e-6f));
        t.time("linear", () -> k.linearForward(gate, xn2, p[4], null));
        t.time("linear", () -> k.linearForward(up, xn2, p[5], null));
        t.time("swiglu", () -> k.swigluForward(hh, gate, up));
        t.time("linear", () -> k.linearForward(mlp, hh, p[6], null));
        t.time("add", () -> k.add(xout, x2, mlp));
    }

    /** Matrix-product work of one step (forward of every layer twice: once, then recomputed in the backward). */
    private static double gemmFlops(long n, long c, long f, long vocab, long layers, long b, long h, long t, long d) {
        double linFwd = 2.0 * n * (4 * c * c + 3 * c * f);
        double attFwd = 2.0 * 2 * b * h * t * t * d;
        double layer = 2 * (linFwd + attFwd) + 2 * linFwd + 2 * attFwd; // 2 forwards + backward (2x forward)
        double headW = 2.0 * n * c * vocab * 3;
        return layers * layer + headW;
    }

    /** Uniform in [-0.05, 0.05), as the benchmark has always drawn its weights. */
    private Tensor r(long... shape) {
        float[] v = new float[Math.toIntExact(Tensor.elements(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (weights.nextFloat() - 0.5f) * 0.1f;
        }
        return upload(v, shape);
    }

    private Tensor upload(float[] v, long... shape) {
        Tensor t = z(shape);
        backend.upload(t, v);
        return t;
    }

    private Tensor ones(long n) {
        float[] v = new float[Math.toIntExact(n)];
        Arrays.fill(v, 1f);
        return upload(v, n);
    }

    private Tensor z(long... shape) {
        return backend.allocate(DType.FLOAT, shape);
    }

    private int[] ints(String key, String dflt) {
        String v = opts.getOrDefault(key, dflt);
        if (v.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private int intOpt(String key, int dflt) {
        return Integer.parseInt(opts.getOrDefault(key, Integer.toString(dflt)));
    }

    /** Wall time summed per kernel name. */
    private static final class Timer {
        private final Map<String, Long> totals = new LinkedHashMap<>();

        void time(String name, Runnable r) {
            long t0 = System.nanoTime();
            r.run();
            totals.merge(name, System.nanoTime() - t0, Long::sum);
        }

        void reset() {
            totals.clear();
        }

        Map<String, Long> totals() {
            return totals;
        }

        long totalNanos() {
            return totals.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
