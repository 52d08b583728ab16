package io.share4v.model.clip;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every buffer the vision tower's forward and backward touch, allocated once for a capacity of images
 * (llm.c's {@code ActivationTensors}); a smaller batch uses leading-row views ({@link #forImages}), cached per
 * batch size, so repeated steps allocate nothing. What is kept follows the {@link ClipVisionPlan}: a layer's
 * internals get their own buffers only when the backward will read them without recomputing; every other
 * layer writes its internals into one shared scratch set. Hidden states (every entry up to the selected one)
 * are always kept: they are the layers' inputs and the recomputation checkpoints.
 *
 * <p>B = images, P = patches, T = P + 1, N = B*T rows, C = hidden, F = intermediate, H = heads, S = patch.
 */
public final class ClipActivations {
    /** The internals of one encoder layer, kept for its backward. */
    static final class Layer {
        final Tensor ln1; // [N, C] layer_norm1 output
        final Tensor mean1, rstd1; // [N]
        final Tensor q, k, v; // [N, C] biased projections, q already multiplied by 1/sqrt(D) as in HF
        final Tensor probs; // [B, H, T, T] softmax probabilities
        final Tensor attn; // [N, C] attention output before out_proj
        final Tensor resid; // [N, C] x + out_proj(attn): input of layer_norm2
        final Tensor ln2; // [N, C]
        final Tensor mean2, rstd2; // [N]
        final Tensor fc1; // [N, F] fc1 output (activation input)
        final Tensor act; // [N, F] activation output (fc2 input)

        Layer(
                Tensor ln1,
                Tensor mean1,
                Tensor rstd1,
                Tensor q,
                Tensor k,
                Tensor v,
                Tensor probs,
                Tensor attn,
                Tensor resid,
                Tensor ln2,
                Tensor mean2,
                Tensor rstd2,
                Tensor fc1,
                Tensor act) {
            this.ln1 = ln1;
            this.mean1 = mean1;
            this.rstd1 = rstd1;
            this.q = q;
            this.k = k;
            this.v = v;
            this.probs = probs;
            this.attn = attn;
            this.resid = resid;
            this.ln2 = ln2;
            this.mean2 = mean2;
            this.rstd2 = rstd2;
            this.fc1 = fc1;
            this.act = act;
        }

        static Layer allocate(Backend backend, DType dt, int images, ClipVisionConfig cfg) {
            long n = (long) images * cfg.seqLen();
            long c = cfg.hiddenSize();
            long f = cfg.intermediateSize();
            long t = cfg.seqLen();
            return new Layer(
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, n),
                    backend.allocate(dt, n),
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, images, cfg.numHeads(), t, t),
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, n, c),
                    backend.allocate(dt, n),
                    backend.allocate(dt, n),
                    backend.allocate(dt, n, f),
                    backend.allocate(dt, n, f));
        }

        /** Elements of one layer's internals for {@code images} images. */
        static long elements(int images, ClipVisionConfig cfg) {
            long n = (long) images * cfg.seqLen();
            long c = cfg.hiddenSize();
            long f = cfg.intermediateSize();
            long t = cfg.seqLen();
            return 7 * n * c + 4 * n + 2 * n * f + (long) images * cfg.numHeads() * t * t;
        }

        Layer leading(int images, long n, Map<Tensor, Tensor> memo) {
            return new Layer(
                    rows(ln1, n, memo),
                    rows(mean1, n, memo),
                    rows(rstd1, n, memo),
                    rows(q, n, memo),
                    rows(k, n, memo),
                    rows(v, n, memo),
                    rows(probs, images, memo),
                    rows(attn, n, memo),
                    rows(resid, n, memo),
                    rows(ln2, n, memo),
                    rows(mean2, n, memo),
                    rows(rstd2, n, memo),
                    rows(fc1, n, memo),
                    rows(act, n, memo));
        }
    }

    final ClipVisionPlan plan;
    final int images; // images these buffers hold (capacity, or the batch of a view)
    final Tensor patches; // [B*P, 3*S*S] im2col of the images
    final Tensor embeddings; // [N, C] patch + class + position embeddings (pre_layrnorm input)
    final Tensor preMean, preRstd; // [N]
    final Tensor[] hidden; // [selectLayer + 1] x [N, C]: HF hidden_states entries 0..selectLayer
    final Layer[] layers; // [selectLayer]: own buffers, or the shared scratch set
    final Layer scratch; // the shared set (null when every layer keeps its own)
    final Tensor features; // [B*P, C] patch rows of the selected entry (cls_patch: the entry itself)
    // backward scratch (null without a backward)
    final Tensor dResid; // [N, C] gradient flowing down the residual stream
    final Tensor dNorm; // [N, C] gradient at a layer norm output (also the attention output's)
    final Tensor dTmp; // [N, C] a layer norm's input gradient before it joins the residual
    final Tensor dq, dk, dv; // [N, C]
    final Tensor dMlp; // [N, F]
    final Tensor dPatches; // [B*P, 3*S*S] (only when the embeddings train)

    /** Which layer's internals the shared scratch holds (-1: none), so the top layer is not recomputed twice. */
    int scratchLayer = -1;
    /** Images of the last forward through these buffers (0 before any). */
    int lastImages;

    private final ClipActivations[] views;

    /** Allocates the buffers for {@code capacityImages} images in {@code backend}, in the parameters' type. */
    public ClipActivations(ClipVisionPlan plan, int capacityImages, Backend backend, DType dt) {
        if (capacityImages < 1) {
            throw new IllegalArgumentException(
                    "vision activation capacity = " + capacityImages + " images; expected >= 1");
        }
        ClipVisionConfig cfg = plan.config();
        this.plan = plan;
        this.images = capacityImages;
        long n = (long) capacityImages * cfg.seqLen();
        long c = cfg.hiddenSize();
        long bp = (long) capacityImages * cfg.numPatches();
        long patchLen = (long) cfg.numChannels() * cfg.patchSize() * cfg.patchSize();
        patches = backend.allocate(dt, bp, patchLen);
        embeddings = backend.allocate(dt, n, c);
        preMean = backend.allocate(dt, n);
        preRstd = backend.allocate(dt, n);
        hidden = new Tensor[plan.selectLayer() + 1];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = backend.allocate(dt, n, c);
        }
        layers = new Layer[plan.layersUsed()];
        Layer shared = null;
        for (int l = 0; l < layers.length; l++) {
            if (plan.keepsInternals(l)) {
                layers[l] = Layer.allocate(backend, dt, capacityImages, cfg);
            } else {
                if (shared == null) {
                    shared = Layer.allocate(backend, dt, capacityImages, cfg);
                }
                layers[l] = shared;
            }
        }
        scratch = shared;
        features = plan.keepCls() ? hidden[plan.selectLayer()] : backend.allocate(dt, bp, c);
        if (plan.hasBackward()) {
            dResid = backend.allocate(dt, n, c);
            dNorm = backend.allocate(dt, n, c);
            dTmp = backend.allocate(dt, n, c);
            dq = backend.allocate(dt, n, c);
            dk = backend.allocate(dt, n, c);
            dv = backend.allocate(dt, n, c);
            dMlp = backend.allocate(dt, n, cfg.intermediateSize());
            dPatches = plan.trainable().embeddings() ? backend.allocate(dt, bp, patchLen) : null;
        } else {
            dResid = dNorm = dTmp = dq = dk = dv = dMlp = dPatches = null;
        }
        views = new ClipActivations[capacityImages + 1];
        views[capacityImages] = this;
    }

    private ClipActivations(ClipActivations full, int b) {
        Map<Tensor, Tensor> memo = new IdentityHashMap<>();
        ClipVisionConfig cfg = full.plan.config();
        long n = (long) b * cfg.seqLen();
        long bp = (long) b * cfg.numPatches();
        plan = full.plan;
        images = b;
        patches = rows(full.patches, bp, memo);
        embeddings = rows(full.embeddings, n, memo);
        preMean = rows(full.preMean, n, memo);
        preRstd = rows(full.preRstd, n, memo);
        hidden = new Tensor[full.hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = rows(full.hidden[i], n, memo);
        }
        Map<Layer, Layer> layerMemo = new IdentityHashMap<>();
        layers = new Layer[full.layers.length];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = layerMemo.computeIfAbsent(full.layers[l], x -> x.leading(b, n, memo));
        }
        scratch = full.scratch == null ? null : layerMemo.get(full.scratch);
        features = plan.keepCls() ? hidden[plan.selectLayer()] : rows(full.features, bp, memo);
        dResid = rows(full.dResid, n, memo);
        dNorm = rows(full.dNorm, n, memo);
        dTmp = rows(full.dTmp, n, memo);
        dq = rows(full.dq, n, memo);
        dk = rows(full.dk, n, memo);
        dv = rows(full.dv, n, memo);
        dMlp = rows(full.dMlp, n, memo);
        dPatches = rows(full.dPatches, bp, memo);
        views = null;
    }

    /** The buffers for a batch of {@code b <= capacity} images (leading-row views; cached). */
    public ClipActivations forImages(int b) {
        if (views == null) {
            throw new IllegalStateException("forImages on a view; call it on the allocated activations");
        }
        if (b < 1 || b > images) {
            throw new IllegalArgumentException("vision batch of " + b + " images exceeds the activation capacity of "
                    + images + " (allocate ClipActivations for a larger capacity)");
        }
        if (views[b] == null) {
            views[b] = new ClipActivations(this, b);
        }
        return views[b];
    }

    public ClipVisionPlan plan() {
        return plan;
    }

    public int capacityImages() {
        return images;
    }

    /** The selected features of the last forward: {@code [B*P, C]} ({@code patch}) or {@code [B*T, C]} ({@code cls_patch}). */
    public Tensor features() {
        return forImages(lastImages == 0 ? images : lastImages).features;
    }

    /** HF {@code hidden_states[i]} of the last forward, {@code [B*T, C]}, for {@code 0 <= i <= selectLayer}. */
    public Tensor hiddenState(int i) {
        if (i < 0 || i >= hidden.length) {
            throw new IllegalArgumentException("hidden_states entry " + i + " was not computed: entries 0.."
                    + (hidden.length - 1) + " exist for select layer " + plan.selectLayer());
        }
        return forImages(lastImages == 0 ? images : lastImages).hidden[i];
    }

    /** Bytes held by these buffers (each distinct buffer counted once). */
    public long bytes() {
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        long total = 0;
        for (Tensor a : all()) {
            if (a != null && seen.put(a, Boolean.TRUE) == null) {
                total += a.length() * a.dtype().bytes();
            }
        }
        return total;
    }

    /** Bytes {@link #bytes()} would report for this plan and capacity, without allocating (for memory planning). */
    public static long bytesFor(ClipVisionPlan plan, int capacityImages, DType dt) {
        ClipVisionConfig cfg = plan.config();
        long n = (long) capacityImages * cfg.seqLen();
        long c = cfg.hiddenSize();
        long bp = (long) capacityImages * cfg.numPatches();
        long patchLen = (long) cfg.numChannels() * cfg.patchSize() * cfg.patchSize();
        long elements = bp * patchLen + n * c + 2 * n + (plan.selectLayer() + 1L) * n * c;
        int own = 0;
        for (int l = 0; l < plan.layersUsed(); l++) {
            own += plan.keepsInternals(l) ? 1 : 0;
        }
        int sets = own + (own < plan.layersUsed() ? 1 : 0);
        elements += sets * Layer.elements(capacityImages, cfg);
        elements += plan.keepCls() ? 0 : bp * c;
        if (plan.hasBackward()) {
            elements += 6 * n * c + n * cfg.intermediateSize();
            elements += plan.trainable().embeddings() ? bp * patchLen : 0;
        }
        return elements * dt.bytes();
    }

    private Tensor[] all() {
        List<Tensor> out = new ArrayList<>(List.of(patches, embeddings, preMean, preRstd, features));
        out.addAll(Arrays.asList(hidden));
        Map<Layer, Boolean> seen = new IdentityHashMap<>();
        for (Layer l : layers) {
            if (seen.put(l, Boolean.TRUE) == null) {
                out.addAll(List.of(
                        l.ln1, l.mean1, l.rstd1, l.q, l.k, l.v, l.probs, l.attn, l.resid, l.ln2, l.mean2, l.rstd2,
                        l.fc1, l.act));
            }
        }
        out.addAll(Arrays.asList(dResid, dNorm, dTmp, dq, dk, dv, dMlp, dPatches));
        return out.toArray(new Tensor[0]);
    }

    /**
     * The first {@code n} rows of {@code x}, memoised per source buffer, so fields that share a buffer in the full
     * set share one view in the batch-size view too (identity is what {@link #bytes()} and the scratch checks use).
     */
    private static Tensor rows(Tensor x, long n, Map<Tensor, Tensor> memo) {
        return x == null ? null : memo.computeIfAbsent(x, a -> a.rows(0, n));
    }
}
