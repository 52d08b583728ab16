package io.share4v.model.clip;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.AttentionMask;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.ops.Kernels;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The CLIP vision tower of HF {@code CLIPVisionModel} (transformers 4.31), forward and backward, llm.c style:
 * static functions, outputs first, over {@link ClipVisionParams} views and preallocated
 * {@link ClipActivations}. The bias-free patch convolution is im2col ({@link Kernels#patchify}) plus one GEMM
 * with the {@code [C, 3, S, S]} weight viewed as {@code [C, 3*S*S]}; then the class embedding is prepended,
 * position embeddings added, {@code pre_layrnorm} applied, and the selected number of pre-LN encoder layers
 * run ({@code x + attn(LN1(x))}, {@code x + fc2(act(fc1(LN2(x))))}; attention biased, unmasked, q scaled
 * by 1/sqrt(D) after q_proj as HF does). {@code post_layernorm} is not applied: LLaVA reads a hidden state, not the pooled output.
 *
 * <p>B = images, P = patches per image, T = P + 1 positions, N = B*T rows, C = hidden, F = intermediate,
 * H = heads, D = head dim, S = patch size.
 */
public final class ClipVision {
    private ClipVision() {}

    // ------------------------------------------------------------------------------------------------ forward

    /**
     * Runs the tower on {@code images [B, 3, imageSize, imageSize]} ({@code B <=} the activations' capacity),
     * keeping what the plan's backward needs. Returns the selected features, a view into {@code acts}:
     * {@code [B*P, C]} for {@code patch}, {@code [B*T, C]} for {@code cls_patch}, image-major rows.
     */
    public static Tensor forward(ClipActivations acts, ClipVisionParams p, Tensor images, Kernels k) {
        ClipVisionPlan plan = acts.plan;
        ClipVisionConfig cfg = plan.config();
        int b = checkImages(images, cfg, acts);
        ClipActivations a = acts.forImages(b);
        acts.lastImages = b;
        acts.scratchLayer = -1;
        float eps = (float) cfg.layerNormEps();

        embeddingsForward(a, p, images, k);
        k.layerNormForward(a.hidden[0], a.preMean, a.preRstd, a.embeddings, p.preLnW, p.preLnB, eps);
        AttentionShape shape = attentionShape(b, cfg);
        for (int l = 0; l < plan.layersUsed(); l++) {
            layerForward(a.layers[l], a.hidden[l + 1], a.hidden[l], p.layers[l], shape, cfg, k);
            if (a.layers[l] == a.scratch) {
                acts.scratchLayer = l;
            }
        }

        // feature_select: hidden_states[select], without the CLS row for 'patch'
        if (!plan.keepCls()) {
            Tensor selected = a.hidden[plan.selectLayer()]; // [N, C]
            int t = cfg.seqLen();
            int np = cfg.numPatches();
            for (int i = 0; i < b; i++) {
                k.copy(a.features.rows((long) i * np, np), selected.rows((long) i * t + 1, np));
            }
        }
        return a.features;
    }

    /** patches = im2col(images); emb[b] = [class ; patches[b] @ W^T] + pos. */
    private static void embeddingsForward(ClipActivations a, ClipVisionParams p, Tensor images, Kernels k) {
        ClipVisionConfig cfg = a.plan.config();
        int t = cfg.seqLen();
        int np = cfg.numPatches();
        k.patchify(a.patches, images, cfg.patchSize()); // [B*P, 3*S*S]
        for (int i = 0; i < a.images; i++) {
            Tensor emb = a.embeddings.rows((long) i * t, t); // [T, C]
            k.linearForward(emb.rows(1, np), a.patches.rows((long) i * np, np), p.patchW, null);
            k.copy(emb.row(0), p.classEmbedding);
            k.add(emb, emb, p.positionEmbedding);
        }
    }

    /**
     * One pre-LN encoder layer: {@code out = r + fc2(act(fc1(LN2(r))))} with {@code r = x + out_proj(attn(LN1(x)))}.
     * With {@code out == null} (recomputation) everything but the output is written.
     */
    private static void layerForward(
            ClipActivations.Layer s,
            Tensor out,
            Tensor x,
            ClipVisionParams.Layer w,
            AttentionShape shape,
            ClipVisionConfig cfg,
            Kernels k) {
        float eps = (float) cfg.layerNormEps();
        // attention block
        k.layerNormForward(s.ln1, s.mean1, s.rstd1, x, w.ln1W, w.ln1B, eps); // [N, C]
        k.linearForward(s.q, s.ln1, w.qW, w.qB); // [N, C]
        scaleQuery(k, s.q, cfg);
        k.linearForward(s.k, s.ln1, w.kW, w.kB);
        k.linearForward(s.v, s.ln1, w.vW, w.vB);
        k.attentionForward(s.attn, s.probs, s.q, s.k, s.v, shape); // [N, C], probs [B, H, T, T]
        k.linearForward(s.resid, s.attn, w.outW, w.outB);
        k.add(s.resid, s.resid, x); // residual
        // MLP block
        k.layerNormForward(s.ln2, s.mean2, s.rstd2, s.resid, w.ln2W, w.ln2B, eps);
        k.linearForward(s.fc1, s.ln2, w.fc1W, w.fc1B); // [N, F]
        k.activationForward(s.act, s.fc1, cfg.hiddenAct());
        if (out != null) {
            k.linearForward(out, s.act, w.fc2W, w.fc2B); // [N, C]
            k.add(out, out, s.resid); // residual
        }
    }

    // ------------------------------------------------------------------------------------------------ backward

    /**
     * Backward of the last {@link #forward} given {@code dfeatures} (shaped like the returned features).
     * Accumulates into the gradient views of the trainable part ({@link ClipVisionPlan#trainable()}); frozen
     * tensors are not touched and no work is done below the lowest trainable layer. A frozen tower returns at
     * once. {@code dimages [B, 3, H, W]} (may be null) is overwritten with the image gradient; it needs a
     * plan where everything trains.
     */
    public static void backward(
            ClipVisionParams grads,
            Tensor dimages,
            ClipActivations acts,
            Tensor dfeatures,
            ClipVisionParams p,
            Kernels k) {
        backward(grads, dimages, acts, dfeatures, p, k, null);
    }

    /**
     * {@link #backward(ClipVisionParams, Tensor, ClipActivations, Tensor, ClipVisionParams, Kernels)}, telling
     * {@code finishedFrom} (null: nobody) {@code accept(l)} once encoder layer {@code l}'s parameter gradients are
     * complete, from the top layer run down to the lowest trained one (the embeddings and pre_layrnorm, below every
     * layer, are done when this returns).
     */
    public static void backward(
            ClipVisionParams grads,
            Tensor dimages,
            ClipActivations acts,
            Tensor dfeatures,
            ClipVisionParams p,
            Kernels k,
            IntConsumer finishedFrom) {
        ClipVisionPlan plan = acts.plan;
        if (dimages != null && !plan.trainable().embeddings()) {
            throw new IllegalArgumentException(
                    "an image gradient needs the whole tower trainable; the plan trains " + plan.trainable());
        }
        if (!plan.hasBackward()) {
            return;
        }
        ClipVisionConfig cfg = plan.config();
        int b = acts.lastImages;
        if (b == 0) {
            throw new IllegalStateException("vision backward before any forward");
        }
        ClipActivations a = acts.forImages(b);
        requireShape("dfeatures", dfeatures, a.features.shape());
        int t = cfg.seqLen();
        int np = cfg.numPatches();

        // d hidden_states[select]: the feature gradient, zero at the CLS rows for 'patch'
        if (plan.keepCls()) {
            k.copy(a.dResid, dfeatures);
        } else {
            k.zero(a.dResid);
            for (int i = 0; i < b; i++) {
                k.copy(a.dResid.rows((long) i * t + 1, np), dfeatures.rows((long) i * np, np));
            }
        }

        AttentionShape shape = attentionShape(b, cfg);
        int lowest = plan.lowestBackwardLayer();
        boolean intoEmbeddings = plan.trainable().embeddings();
        for (int l = plan.layersUsed() - 1; l >= lowest; l--) {
            ClipActivations.Layer s = a.layers[l];
            if (s == a.scratch && acts.scratchLayer != l) {
                layerForward(s, null, a.hidden[l], p.layers[l], shape, cfg, k); // recompute the internals
                acts.scratchLayer = l;
            }
            boolean inputGrad = l > lowest || intoEmbeddings;
            layerBackward(a, s, grads.layers[l], inputGrad, a.hidden[l], p.layers[l], shape, cfg, k);
            if (finishedFrom != null) {
                finishedFrom.accept(l);
            }
        }
        if (intoEmbeddings) {
            embeddingsBackward(grads, dimages, a, p, k);
        }
    }

    /**
     * Backward of one encoder layer: {@code a.dResid} holds d out on entry and d x on exit (when
     * {@code inputGrad}; otherwise the input gradient is not computed).
     */
    private static void layerBackward(
            ClipActivations a,
            ClipActivations.Layer s,
            ClipVisionParams.Layer g,
            boolean inputGrad,
            Tensor x,
            ClipVisionParams.Layer w,
            AttentionShape shape,
            ClipVisionConfig cfg,
            Kernels k) {
        Tensor dres = a.dResid; // [N, C]
        // MLP block
        k.linearBackward(a.dMlp, g.fc2W, g.fc2B, dres, s.act, w.fc2W); // dact [N, F]
        k.activationBackward(a.dMlp, a.dMlp, s.fc1, cfg.hiddenAct()); // dfc1 [N, F]
        k.linearBackward(a.dNorm, g.fc1W, g.fc1B, a.dMlp, s.ln2, w.fc1W); // dln2 [N, C]
        k.layerNormBackward(a.dTmp, g.ln2W, g.ln2B, a.dNorm, s.resid, s.mean2, s.rstd2, w.ln2W);
        k.addInPlace(dres, a.dTmp); // d resid
        // attention block
        k.linearBackward(a.dNorm, g.outW, g.outB, dres, s.attn, w.outW); // dattn [N, C]
        k.attentionBackward(a.dq, a.dk, a.dv, a.dNorm, s.probs, s.q, s.k, s.v, shape);
        scaleQuery(k, a.dq, cfg); // d of the unscaled q
        // dln1 = dq Wq + dk Wk + dv Wv: the first overwrites, the others accumulate through the GEMM's beta
        k.linearBackward(a.dNorm, g.qW, g.qB, a.dq, s.ln1, w.qW);
        k.linearBackward(null, g.kW, g.kB, a.dk, s.ln1, w.kW);
        k.gemm(a.dNorm, a.dk, false, w.kW, false, 1f, 1f);
        k.linearBackward(null, g.vW, g.vB, a.dv, s.ln1, w.vW);
        k.gemm(a.dNorm, a.dv, false, w.vW, false, 1f, 1f);
        k.layerNormBackward(inputGrad ? a.dTmp : null, g.ln1W, g.ln1B, a.dNorm, x, s.mean1, s.rstd1, w.ln1W);
        if (inputGrad) {
            k.addInPlace(dres, a.dTmp); // d x
        }
    }

    /** Backward of pre_layrnorm and the embeddings; the image gradient when asked for. */
    private static void embeddingsBackward(
            ClipVisionParams g, Tensor dimages, ClipActivations a, ClipVisionParams p, Kernels k) {
        ClipVisionConfig cfg = a.plan.config();
        int t = cfg.seqLen();
        int np = cfg.numPatches();
        k.layerNormBackward(a.dTmp, g.preLnW, g.preLnB, a.dResid, a.embeddings, a.preMean, a.preRstd, p.preLnW);
        Tensor demb = a.dTmp; // [N, C]
        for (int i = 0; i < a.images; i++) {
            Tensor d = demb.rows((long) i * t, t); // [T, C]
            k.addInPlace(g.positionEmbedding, d);
            k.addInPlace(g.classEmbedding, d.row(0));
            Tensor dPatches = dimages == null ? null : a.dPatches.rows((long) i * np, np);
            k.linearBackward(dPatches, g.patchW, null, d.rows(1, np), a.patches.rows((long) i * np, np), p.patchW);
        }
        if (dimages != null) {
            requireShape(
                    "dimages", dimages, new long[] {a.images, cfg.numChannels(), cfg.imageSize(), cfg.imageSize()});
            k.patchifyBackward(dimages, a.dPatches, cfg.patchSize());
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Unmasked attention with the 1/sqrt(D) scale left to {@link #scaleQuery} (so the kernel scales by 1). */
    private static AttentionShape attentionShape(int images, ClipVisionConfig cfg) {
        return new AttentionShape(
                images, cfg.seqLen(), cfg.numHeads(), cfg.numHeads(), cfg.headDim(), false, 1f, AttentionMask.none());
    }

    /**
     * {@code q *= 1/sqrt(D)} in place, as HF CLIPAttention does right after q_proj, with the attention kernel then
     * scaling by 1: {@link AttentionShape#scale()} is a float, 1/sqrt(D) is not a float for every D (D = 8 in the
     * golden tower), and the DOUBLE parity checks need the exact double scale PyTorch uses in float64.
     */
    private static void scaleQuery(Kernels k, Tensor q, ClipVisionConfig cfg) {
        k.scale(q, q, 1.0 / Math.sqrt(cfg.headDim()));
    }

    private static int checkImages(Tensor images, ClipVisionConfig cfg, ClipActivations acts) {
        if (images.rank() != 4
                || images.size(1) != cfg.numChannels()
                || images.size(2) != cfg.imageSize()
                || images.size(3) != cfg.imageSize()) {
            throw new IllegalArgumentException("images have shape " + Arrays.toString(images.shape())
                    + "; the vision tower expects [B, " + cfg.numChannels() + ", " + cfg.imageSize() + ", "
                    + cfg.imageSize() + "]");
        }
        if (images.size(0) < 1 || images.size(0) > acts.capacityImages()) {
            throw new IllegalArgumentException("a batch of " + images.size(0) + " images does not fit the vision "
                    + "activation capacity of " + acts.capacityImages());
        }
        return (int) images.size(0);
    }

    private static void requireShape(String what, Tensor x, long[] shape) {
        if (!Arrays.equals(x.shape(), shape)) {
            throw new IllegalArgumentException(
                    what + " has shape " + Arrays.toString(x.shape()) + "; expected " + Arrays.toString(shape));
        }
    }
}
