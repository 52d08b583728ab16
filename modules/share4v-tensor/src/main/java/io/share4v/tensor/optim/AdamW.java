package io.share4v.tensor.optim;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code torch.optim.AdamW} over some ranges of one flat float32 parameter buffer and its flat gradient buffer
 * (the trainable ranges of a model, or one rank's shard of them), with float32 first and second moments kept
 * only for those ranges: two compact buffers of {@code sum(range sizes)} elements, range after range in buffer
 * order ({@link #ranges()}). A sharded (ZeRO-1/2) optimizer is this class over a rank's shard ranges, so its
 * moments take {@code 1/world} of the memory, and a checkpoint saves {@link #moments()} with {@link #ranges()}.
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

    /** A piece of work: {@code length} elements at {@code start} of the flat buffers, at {@code moment} of the moments. */
    private record Task(long start, long moment, int length, double weightDecay) {}

    private final Config config;
    private final Backend backend;
    private final long size;
    private final List<Group> groups;
    private final List<ParamLayout.Range> ranges; // every group's ranges, in buffer order
    private final List<Task> tasks = new ArrayList<>();
    private final Tensor expAvg; // [sum of range sizes] m, compact: range after range in buffer order
    private final Tensor expAvgSq; // [sum of range sizes] v
    private long step;

    /**
     * One group: {@code ranges} with the config's weight decay; {@code size} = the flat buffers' length; the
     * moments are allocated in {@code backend}.
     */
    public static AdamW over(Config config, List<ParamLayout.Range> ranges, Backend backend, long size) {
        return new AdamW(config, List.of(new Group(ranges, config.weightDecay())), backend, size);
    }

    /**
     * Parameter groups with their own weight decay; {@code size} = the flat buffers' length. The groups may cover
     * no element at all (a rank whose shard is empty): then a step only counts.
     */
    public AdamW(Config config, List<Group> groups, Backend backend, long size) {
        if (size < 1) {
            throw new IllegalArgumentException("AdamW buffer size = " + size + " is invalid: expected >= 1");
        }
        this.config = config;
        this.backend = backend;
        this.size = size;
        this.groups = List.copyOf(groups);
        List<ParamLayout.Range> all = new ArrayList<>();
        Map<ParamLayout.Range, Double> decayOf = new HashMap<>();
        for (Group g : this.groups) {
            all.addAll(g.ranges());
            for (ParamLayout.Range r : g.ranges()) {
                decayOf.put(r, g.weightDecay());
            }
        }
        all.sort((a, b) -> Long.compare(a.start(), b.start()));
        long last = -1;
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
        this.ranges = List.copyOf(all);
        long moment = 0;
        for (ParamLayout.Range r : this.ranges) {
            for (long s = r.start(); s < r.end(); s += TASK) {
                int length = (int) Math.min(TASK, r.end() - s);
                tasks.add(new Task(s, moment, length, decayOf.get(r)));
                moment += length;
            }
        }
        this.expAvg = backend.allocate(DType.FLOAT, moment);
        this.expAvgSq = backend.allocate(DType.FLOAT, moment);
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
        Tensor m = expAvg;
        Tensor v = expAvgSq;
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
                    m.slice(t.moment(), t.length()).floats(),
                    v.slice(t.moment(), t.length()).floats(),
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

    /** The ranges of the flat buffers this optimizer updates, in buffer order: the order of the compact moments. */
    public List<ParamLayout.Range> ranges() {
        return ranges;
    }

    /**
     * The optimizer state a checkpoint saves and restores (write into these tensors, then {@link #setStepCount}):
     * {@code exp_avg} and {@code exp_avg_sq}, each {@code [sum of range sizes]}, compact over {@link #ranges()}.
     */
    public Map<String, Tensor> moments() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("exp_avg", expAvg);
        m.put("exp_avg_sq", expAvgSq);
        return Collections.unmodifiableMap(m);
    }

    /**
     * First moments in the parameters' layout {@code [size]} (torch's {@code exp_avg}; zero outside the ranges): a
     * new tensor of the flat buffers' size, for inspection; {@link #moments()} holds the state itself.
     */
    public Tensor expAvg() {
        return inLayout(expAvg);
    }

    /** Second moments in the parameters' layout {@code [size]} (torch's {@code exp_avg_sq}), as {@link #expAvg()}. */
    public Tensor expAvgSq() {
        return inLayout(expAvgSq);
    }

    private Tensor inLayout(Tensor compact) {
        Tensor out = backend.allocate(DType.FLOAT, size);
        for (Task t : tasks) {
            out.slice(t.start(), t.length())
                    .floats()
                    .put(compact.slice(t.moment(), t.length()).floats());
        }
        return out;
    }

    /** Restores the state of a checkpoint: the step count (the moments are written into {@link #moments()}). */
    public void setStepCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("AdamW step count = " + steps + " is invalid: expected >= 0");
        }
        this.step = steps;
    }

    /** Elements this optimizer updates (the length of each moment buffer). */
    public long elements() {
        return expAvg.length();
    }

    /** Bytes of optimizer state (two float32 moments per element of {@link #ranges()}). */
    public long stateBytes() {
        return 2L * elements() * Float.BYTES;
    }
}
