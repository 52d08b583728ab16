package io.share4v.tensor.optim;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code torch.optim.AdamW} over the trainable ranges of one flat float32 parameter buffer and its flat gradient
 * buffer, with float32 first and second moments in two more flat buffers of the same layout (offsets match the
 * parameters', so checkpointing or sharding the state is the same range arithmetic).
 *
 * <p>Per element, exactly the operations of PyTorch 1.13's {@code _single_tensor_adamw} (amsgrad off, not
 * maximize), in float32 with the Python-double scalars rounded to float as ATen does:
 * <pre>
 *   p = p * (1 - lr*wd)                              decoupled weight decay, before the Adam step
 *   m = m*beta1 + (1-beta1)*g                        (ATen's vectorised add is a fused multiply-add)
 *   v = v*beta2 + (1-beta2)*g*g
 *   p = p + (-lr / (1 - beta1^t)) * (m / (sqrt(v) / sqrt(1 - beta2^t) + eps))
 * </pre>
 * PyTorch 2.0 computes {@code m} with {@code lerp_}, which differs from this in the last bit only.
 *
 * <p>Hand-written rather than ND4J's {@code AdamUpdater} because that one is plain Adam (L2 in the gradient,
 * no decoupled decay), works on whole arrays rather than ranges, and allocates temporaries per call. The loop
 * copies chunks of the four host buffers into per-thread heap arrays (which the JIT vectorises) and splits
 * the ranges over the cores. The moments live in the backend the parameters live in; this update runs on host
 * memory (a device backend brings its own update kernel). Not thread-safe: one optimizer per model.
 */
public final class AdamW {
    /** Chunk copied into heap arrays per inner loop (4 arrays x 16 KiB stay in L1/L2). */
    private static final int CHUNK = 4096;
    /** Elements per parallel task: smaller ranges are not worth a fork. */
    private static final int TASK = 1 << 16;

    private static final ThreadLocal<float[][]> TMP = ThreadLocal.withInitial(
            () -> new float[][] {new float[CHUNK], new float[CHUNK], new float[CHUNK], new float[CHUNK]});

    /**
     * Hyperparameters (torch.optim.AdamW's names and defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
     * weight_decay 1e-2). ShareGPT4V trains with weight_decay 0.
     */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Config {
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("AdamW lr = " + lr + " is invalid: expected a finite value >= 0");
            }
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("AdamW beta1 = " + beta1 + " is invalid: expected [0, 1)");
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW beta2 = " + beta2 + " is invalid: expected [0, 1)");
            }
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("AdamW eps = " + eps + " is invalid: expected a finite value >= 0");
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException(
                        "AdamW weight_decay = " + weightDecay + " is invalid: expected a finite value >= 0");
            }
        }

        /** torch.optim.AdamW's defaults with this learning rate. */
        public static Config of(double lr) {
            return new Config(lr, 0.9, 0.999, 1e-8, 1e-2);
        }

        public Config withWeightDecay(double wd) {
            return new Config(lr, beta1, beta2, eps, wd);
        }
    }

    /** A parameter group: ranges of the flat buffer sharing a weight decay (e.g. 0 for biases and norms). */
    public record Group(List<ParamLayout.Range> ranges, double weightDecay) {
        public Group {
            ranges = List.copyOf(ranges);
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException(
                        "AdamW group weight_decay = " + weightDecay + " is invalid: expected a finite value >= 0");
            }
        }
    }

    private record Task(long start, int length, double weightDecay) {}

    private final Config config;
    private final long size;
    private final List<Group> groups;
    private final List<Task> tasks = new ArrayList<>();
    private final Tensor expAvg; // [size] m, same layout as the parameters
    private final Tensor expAvgSq; // [size] v
    private long step;

    /**
     * One group: {@code ranges} with the config's weight decay; {@code size} = the flat buffers' length; the
     * moments are allocated in {@code backend}.
     */
    public static AdamW over(Config config, List<ParamLayout.Range> ranges, Backend backend, long size) {
        return new AdamW(config, List.of(new Group(ranges, config.weightDecay())), backend, size);
    }

    /** Parameter groups with their own weight decay; {@code size} = the flat buffers' length. */
    public AdamW(Config config, List<Group> groups, Backend backend, long size) {
        if (size < 1) {
            throw new IllegalArgumentException("AdamW buffer size = " + size + " is invalid: expected >= 1");
        }
        this.config = config;
        this.size = size;
        this.groups = List.copyOf(groups);
        long last = -1;
        List<ParamLayout.Range> all = new ArrayList<>();
        for (Group g : this.groups) {
            all.addAll(g.ranges());
        }
        all.sort((a, b) -> Long.compare(a.start(), b.start()));
        for (ParamLayout.Range r : all) {
            if (r.start() < 0 || r.end() > size || r.start() >= r.end()) {
                throw new IllegalArgumentException("AdamW range [" + r.start() + ", " + r.end()
                        + ") is invalid for flat buffers of " + size + " elements");
            }
            if (r.start() < last) {
                throw new IllegalArgumentException("AdamW ranges overlap at element " + r.start());
            }
            last = r.end();
        }
        for (Group g : this.groups) {
            for (ParamLayout.Range r : g.ranges()) {
                for (long s = r.start(); s < r.end(); s += TASK) {
                    tasks.add(new Task(s, (int) Math.min(TASK, r.end() - s), g.weightDecay()));
                }
            }
        }
        this.expAvg = backend.allocate(DType.FLOAT, size);
        this.expAvgSq = backend.allocate(DType.FLOAT, size);
    }

    /** One update with the config's learning rate. */
    public void step(Tensor params, Tensor grads) {
        step(params, grads, config.lr());
    }

    /** One update with learning rate {@code lr} (a scheduler's value for this step). */
    public void step(Tensor params, Tensor grads, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("AdamW lr = " + lr + " is invalid: expected a finite value >= 0");
        }
        Tensor p = flat("params", params);
        Tensor g = flat("grads", grads);
        Tensor m = flat("exp_avg", expAvg);
        Tensor v = flat("exp_avg_sq", expAvgSq);
        step++;
        // The scalars as torch computes them in Python doubles, then ATen rounds each to float for the kernel.
        double bias1 = 1 - Math.pow(config.beta1(), step);
        double bias2 = 1 - Math.pow(config.beta2(), step);
        float negStepSize = (float) -(lr / bias1);
        float bias2Sqrt = (float) Math.sqrt(bias2);
        float b1 = (float) config.beta1();
        float a1 = (float) (1 - config.beta1());
        float b2 = (float) config.beta2();
        float a2 = (float) (1 - config.beta2());
        float eps = (float) config.eps();
        IntStream.range(0, tasks.size()).parallel().forEach(i -> {
            Task t = tasks.get(i);
            float decay = (float) (1 - lr * t.weightDecay());
            update(
                    slice(p, t),
                    slice(g, t),
                    slice(m, t),
                    slice(v, t),
                    t.length(),
                    decay,
                    b1,
                    a1,
                    b2,
                    a2,
                    bias2Sqrt,
                    eps,
                    negStepSize);
        });
    }

    /**
     * The task's elements of a flat buffer (a window per task: a 7B model's flat buffer exceeds the 2^31 bytes one
     * Java buffer can index).
     */
    private static FloatBuffer slice(Tensor base, Task t) {
        return base.slice(t.start(), t.length()).floats();
    }

    private static void update(
            FloatBuffer p,
            FloatBuffer g,
            FloatBuffer m,
            FloatBuffer v,
            int length,
            float decay,
            float b1,
            float a1,
            float b2,
            float a2,
            float bias2Sqrt,
            float eps,
            float negStepSize) {
        float[][] tmp = TMP.get();
        float[] tp = tmp[0];
        float[] tg = tmp[1];
        float[] tm = tmp[2];
        float[] tv = tmp[3];
        for (int off = 0; off < length; off += CHUNK) {
            int from = off;
            int n = Math.min(CHUNK, length - off);
            p.get(from, tp, 0, n);
            g.get(from, tg, 0, n);
            m.get(from, tm, 0, n);
            v.get(from, tv, 0, n);
            for (int i = 0; i < n; i++) {
                float gi = tg[i];
                float pi = tp[i] * decay;
                float mi = Math.fma(gi, a1, tm[i] * b1);
                float vi = tv[i] * b2 + a2 * gi * gi;
                float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
                tp[i] = pi + negStepSize * (mi / denom);
                tm[i] = mi;
                tv[i] = vi;
            }
            p.put(from, tp, 0, n);
            m.put(from, tm, 0, n);
            v.put(from, tv, 0, n);
        }
    }

    private Tensor flat(String name, Tensor a) {
        if (a.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("AdamW " + name + " must be FLOAT (fp32 master weights), got " + a);
        }
        if (a.rank() != 1 || a.length() != size) {
            throw new IllegalArgumentException(
                    "AdamW " + name + " must be a vector of " + size + " elements, got " + a);
        }
        if (!a.storage().isHost()) {
            throw new IllegalArgumentException("AdamW " + name + " is in "
                    + a.storage().backend() + " device memory; this update runs on host memory");
        }
        return a;
    }

    public Config config() {
        return config;
    }

    public List<Group> groups() {
        return groups;
    }

    /** Steps taken so far (torch's {@code state['step']}). */
    public long stepCount() {
        return step;
    }

    /** First moments {@code [size]} (torch's {@code exp_avg}; zero outside the trainable ranges). */
    public Tensor expAvg() {
        return expAvg;
    }

    /** Second moments {@code [size]} (torch's {@code exp_avg_sq}). */
    public Tensor expAvgSq() {
        return expAvgSq;
    }

    /** Restores the state of a checkpoint: the step count (moments are written into {@link #expAvg()} etc.). */
    public void setStepCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("AdamW step count = " + steps + " is invalid: expected >= 0");
        }
        this.step = steps;
    }

    /** Bytes of optimizer state (two float32 moments per element of the flat buffer). */
    public long stateBytes() {
        return 2L * size * Float.BYTES;
    }
}
