package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.AttentionMask;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.ops.DecodeShape;
import io.share4v.tensor.ops.Kernels;
import java.util.function.IntConsumer;

/**
 * The LLaMA decoder's forward and backward passes (HF {@code LlamaModel} + {@code lm_head}, transformers 4.31),
 * as static functions over config, params and activations (llm.c's {@code gpt2_forward}/{@code gpt2_backward}).
 * The caller fills {@code acts.x[0]} with the input embeddings (token embeddings or the multimodal splice);
 * the forward leaves the logits in {@code acts.logits}; the backward starts from {@code dlogits} written into
 * {@code acts.logits} and leaves {@code d(inputs_embeds)} in {@code acts.dres}.
 *
 * <p>Per layer: {@code mid = x + o_proj(attn(rope(q_proj(n1)), rope(k_proj(n1)), v_proj(n1)))} with
 * {@code n1 = input_layernorm(x)}, then {@code out = mid + down(silu(gate(n2)) * up(n2))} with
 * {@code n2 = post_attention_layernorm(mid)}. Positions are {@code 0..T-1} for every sample; keys at or beyond a
 * sample's valid length are masked (right padding), and so are keys flagged invalid in an optional per-key mask
 * (a pad id inside a text, which the reference's {@code input_ids != pad} mask hides), as HF's 4-D mask does.
 *
 * <p>B = batch, T = sequence, N = B*T, C = hidden, F = intermediate, V = vocab, H / Hkv heads, D head dim.
 */
public final class LlamaDecoder {
    private LlamaDecoder() {}

    /** Everything one pass needs besides params and activations. */
    public record Context(LlamaConfig config, Kernels kernels, RopeTables rope) {}

    /**
     * Forward: {@code acts.x[0]} [N, C] (already filled) -> {@code acts.logits} [N, V].
     *
     * @param padding the batch's padding: which keys exist (right padding, pad ids inside a text); the decoder
     *                adds causality itself
     */
    public static void forward(LlamaActivations acts, LlamaParams p, Context ctx, AttentionMask padding) {
        LlamaConfig c = ctx.config();
        Kernels k = ctx.kernels();
        AttentionShape shape = attentionShape(c, acts, padding);
        for (int l = 0; l < c.numLayers(); l++) {
            layerForward(acts.x[l + 1], acts.layer(l), acts.x[l], p.layers[l], ctx, shape, true);
        }
        int L = c.numLayers();
        k.rmsNormForward(acts.lnf, acts.rstdf, acts.x[L], p.norm, (float) c.rmsNormEps());
        k.linearForward(acts.logits, acts.lnf, p.lmHead, null);
    }

    /**
     * Backward from {@code dlogits} (in {@code acts.logits}, overwritten as scratch) to the parameter gradients
     * present in {@code g} (accumulated; null views are frozen and cost no gradient work) and, when
     * {@code needInputGrad}, to {@code d(inputs_embeds)} in {@code acts.dres}. Without an input gradient the
     * backward stops below the lowest layer that has a trainable tensor.
     */
    public static void backward(
            LlamaParams g,
            LlamaActivations acts,
            LlamaParams p,
            Context ctx,
            AttentionMask padding,
            boolean needInputGrad) {
        backward(g, acts, p, ctx, padding, needInputGrad, null);
    }

    /**
     * {@link #backward(LlamaParams, LlamaActivations, LlamaParams, Context, AttentionMask, boolean)}, telling
     * {@code finishedFrom} (null: nobody) as parameter gradients become final: {@code accept(L)} once
     * {@code lm_head} and the final norm are done, then {@code accept(l)} once layer {@code l} is, from the top
     * layer down; each call means "the gradients of layers {@code >= l}, the norm and the head are complete".
     */
    public static void backward(
            LlamaParams g,
            LlamaActivations acts,
            LlamaParams p,
            Context ctx,
            AttentionMask padding,
            boolean needInputGrad,
            IntConsumer finishedFrom) {
        IntConsumer done = finishedFrom == null ? l -> {} : finishedFrom;
        LlamaConfig c = ctx.config();
        Kernels k = ctx.kernels();
        int L = c.numLayers();
        int lowest = needInputGrad ? 0 : lowestTrainableLayer(g);
        boolean anyBelowHead = needInputGrad || lowest < L || g.norm != null;
        if (!anyBelowHead) {
            if (g.lmHead != null) {
                k.linearBackward(null, g.lmHead, null, acts.logits, acts.lnf, p.lmHead);
            }
            done.accept(L);
            return;
        }
        AttentionShape shape = attentionShape(c, acts, padding);
        k.linearBackward(acts.dtmp, g.lmHead, null, acts.logits, acts.lnf, p.lmHead);
        k.rmsNormBackward(acts.dres, g.norm, acts.dtmp, acts.x[L], acts.rstdf, p.norm);
        done.accept(L);
        for (int l = L - 1; l >= lowest; l--) {
            LlamaActivations.Layer a = acts.layer(l);
            if (acts.recompute()) {
                // Only x[l] was kept: rebuild this layer's activations (the output x[l+1] is not needed again).
                layerForward(null, a, acts.x[l], p.layers[l], ctx, shape, false);
            }
            layerBackward(acts, a, acts.x[l], g.layers[l], p.layers[l], ctx, shape);
            done.accept(l);
        }
    }

    private static int lowestTrainableLayer(LlamaParams g) {
        for (int l = 0; l < g.layers.length; l++) {
            if (g.layers[l].any()) {
                return l;
            }
        }
        return g.layers.length;
    }

    static AttentionShape attentionShape(LlamaConfig c, LlamaActivations acts, AttentionMask padding) {
        // scale 1: q carries the 1/sqrt(D) (see scaleQuery)
        return new AttentionShape(
                acts.batch(), acts.seq(), c.numHeads(), c.numKvHeads(), c.headDim(), true, 1f, padding);
    }

    /**
     * {@code q *= 1/sqrt(D)} in place, before the attention kernel (which then scales by 1): {@link
     * AttentionShape#scale()} is a float, 1/sqrt(D) is not a float for every D (D = 8 in the golden model, 128 in
     * Vicuna), and the DOUBLE parity checks need the exact double PyTorch divides by, which {@link Kernels#scale}
     * keeps. RoPE is linear, so scaling after it equals HF's {@code (q k^T) / sqrt(D)}.
     */
    static void scaleQuery(Kernels k, Tensor q, LlamaConfig c) {
        k.scale(q, q, 1.0 / Math.sqrt(c.headDim()));
    }

    /** One decoder layer: {@code out = layer(x)}; {@code withOutput = false} stops after the MLP's activation. */
    static void layerForward(
            Tensor out,
            LlamaActivations.Layer a,
            Tensor x,
            LlamaParams.Layer w,
            Context ctx,
            AttentionShape s,
            boolean withOutput) {
        LlamaConfig c = ctx.config();
        Kernels k = ctx.kernels();
        RopeTables rope = ctx.rope();
        qkvForward(a, x, w, ctx);
        rotaryForward(a, rope.cos, rope.sin, s.batch(), s.seq(), c, k);
        // causal GQA attention
        k.attentionForward(a.att, a.probs, a.q, a.k, a.v, s);
        outputAndMlpForward(out, a, x, w, ctx, withOutput);
    }

    /** Attention rmsnorm and the q, k, v projections: {@code a.ln1, a.rstd1, a.q, a.k, a.v} from {@code x}. */
    private static void qkvForward(LlamaActivations.Layer a, Tensor x, LlamaParams.Layer w, Context ctx) {
        Kernels k = ctx.kernels();
        k.rmsNormForward(
                a.ln1, a.rstd1, x, w.inputLayernorm, (float) ctx.config().rmsNormEps());
        k.linearForward(a.q, a.ln1, w.wq, null);
        k.linearForward(a.k, a.ln1, w.wk, null);
        k.linearForward(a.v, a.ln1, w.wv, null);
    }

    /** RoPE on q and k (row {@code b*seq+t} takes table row t), then {@code q *= 1/sqrt(D)}. */
    private static void rotaryForward(
            LlamaActivations.Layer a, Tensor cos, Tensor sin, int batch, int seq, LlamaConfig c, Kernels k) {
        k.rope(a.q, cos, sin, batch, seq, c.numHeads(), c.headDim(), false);
        k.rope(a.k, cos, sin, batch, seq, c.numKvHeads(), c.headDim(), false);
        scaleQuery(k, a.q, c);
    }

    /** Output projection and residual, then the MLP block; {@code withOutput = false} stops after SwiGLU. */
    private static void outputAndMlpForward(
            Tensor out, LlamaActivations.Layer a, Tensor x, LlamaParams.Layer w, Context ctx, boolean withOutput) {
        Kernels k = ctx.kernels();
        k.linearForward(a.mid, a.att, w.wo, null);
        k.add(a.mid, a.mid, x);
        // ffn rmsnorm, SwiGLU, down projection, residual
        k.rmsNormForward(a.ln2, a.rstd2, a.mid, w.postAttentionLayernorm, (float)
                ctx.config().rmsNormEps());
        k.linearForward(a.gate, a.ln2, w.wGate, null);
        k.linearForward(a.up, a.ln2, w.wUp, null);
        k.swigluForward(a.h, a.gate, a.up);
        if (withOutput) {
            k.linearForward(out, a.h, w.wDown, null);
            k.add(out, out, a.mid);
        }
    }

    // ------------------------------------------------------------------------------------------- KV-cached

    /**
     * Forward of {@code n = s.newTokens()} new rows per sample against a KV cache (generation): the same layer
     * maths as {@link #forward} (the helpers above), except that each layer first appends the new rows' rotated
     * keys and values to the cache at rows {@code slot(b)*capacity + past(b) + i} and attends with
     * {@link Kernels#attentionDecode}. {@code acts.x(0)} [B*n, C] holds the new rows' input embeddings on entry;
     * {@code acts.hidden()} holds the last layer's output (before the final norm) on exit; see {@link #logits}.
     *
     * @param rope the new rows' cos/sin table rows ({@link CachedActivations#ropeRows})
     */
    public static void forwardCached(
            CachedActivations acts,
            LlamaParams p,
            Context ctx,
            KvCache cache,
            DecodeShape s,
            CachedActivations.RopeRows rope) {
        LlamaConfig c = ctx.config();
        Kernels k = ctx.kernels();
        DecodeShape scaled = s.withScale(1f); // q carries 1/sqrt(D), see scaleQuery
        int n = s.newTokens();
        LlamaActivations.Layer a = acts.layer();
        for (int l = 0; l < c.numLayers(); l++) {
            Tensor x = acts.x(l);
            qkvForward(a, x, p.layers[l], ctx);
            rotaryForward(a, rope.cos(), rope.sin(), rope.batch(), rope.seq(), c, k);
            for (int b = 0; b < s.batch(); b++) {
                long dst = (long) s.slot(b) * s.capacity() + s.past(b);
                k.copy(cache.k[l].rows(dst, n), a.k.rows((long) b * n, n));
                k.copy(cache.v[l].rows(dst, n), a.v.rows((long) b * n, n));
            }
            k.attentionDecode(a.att, a.q, cache.k[l], cache.v[l], scaled);
            outputAndMlpForward(acts.x(l + 1), a, x, p.layers[l], ctx, true);
        }
    }

    /**
     * {@code logits[R, V] = lm_head(norm(hidden[rows[r]]))} for the picked rows only (the last position of each
     * sample): RMSNorm is per row, so this equals {@link #forward}'s final norm and head at those rows.
     */
    public static void logits(Tensor logits, CachedActivations acts, int[] rows, LlamaParams p, Context ctx) {
        Kernels k = ctx.kernels();
        Tensor hidden = acts.x(ctx.config().numLayers());
        Tensor picked = acts.picked(rows.length);
        for (int r = 0; r < rows.length; r++) {
            k.copy(picked.rows(r, 1), hidden.rows(rows[r], 1));
        }
        Tensor normed = acts.pickedNorm(rows.length);
        k.rmsNormForward(normed, acts.pickedRstd(rows.length), picked, p.norm, (float)
                ctx.config().rmsNormEps());
        k.linearForward(logits, normed, p.lmHead, null);
    }

    /** The layer read bottom-up: {@code acts.dres} holds d(out) on entry and d(x) on exit. */
    static void layerBackward(
            LlamaActivations acts,
            LlamaActivations.Layer a,
            Tensor x,
            LlamaParams.Layer g,
            LlamaParams.Layer w,
            Context ctx,
            AttentionShape s) {
        LlamaConfig c = ctx.config();
        Kernels k = ctx.kernels();
        RopeTables rope = ctx.rope();
        Tensor dres = acts.dres;
        // MLP: d(h), d(gate), d(up), d(n2) -> d(mid) = d(out) + rmsnorm'(d(n2))
        k.linearBackward(acts.dh, g.wDown, null, dres, a.h, w.wDown);
        k.swigluBackward(acts.dgate, acts.dup, acts.dh, a.gate, a.up);
        k.linearBackward(acts.dtmp, g.wGate, null, acts.dgate, a.ln2, w.wGate);
        accumulateInputGrad(k, acts.dtmp, acts.dup, w.wUp);
        k.linearBackward(null, g.wUp, null, acts.dup, a.ln2, w.wUp);
        k.rmsNormBackward(acts.dtmp2, g.postAttentionLayernorm, acts.dtmp, a.mid, a.rstd2, w.postAttentionLayernorm);
        k.addInPlace(dres, acts.dtmp2);
        // attention: d(att), d(q, k, v) with RoPE undone, d(n1) -> d(x) = d(mid) + rmsnorm'(d(n1))
        k.linearBackward(acts.datt, g.wo, null, dres, a.att, w.wo);
        k.attentionBackward(acts.dq, acts.dk, acts.dv, acts.datt, a.probs, a.q, a.k, a.v, s);
        scaleQuery(k, acts.dq, c);
        k.rope(acts.dq, rope.cos, rope.sin, s.batch(), s.seq(), c.numHeads(), c.headDim(), true);
        k.rope(acts.dk, rope.cos, rope.sin, s.batch(), s.seq(), c.numKvHeads(), c.headDim(), true);
        k.linearBackward(acts.dtmp, g.wq, null, acts.dq, a.ln1, w.wq);
        accumulateInputGrad(k, acts.dtmp, acts.dk, w.wk);
        k.linearBackward(null, g.wk, null, acts.dk, a.ln1, w.wk);
        accumulateInputGrad(k, acts.dtmp, acts.dv, w.wv);
        k.linearBackward(null, g.wv, null, acts.dv, a.ln1, w.wv);
        k.rmsNormBackward(acts.dtmp2, g.inputLayernorm, acts.dtmp, x, a.rstd1, w.inputLayernorm);
        k.addInPlace(dres, acts.dtmp2);
    }

    /**
     * {@code dx += dy @ w} for a second linear reading the same input ({@code linearBackward} overwrites its
     * input gradient, and q/k/v and gate/up share theirs).
     */
    private static void accumulateInputGrad(Kernels k, Tensor dx, Tensor dy, Tensor w) {
        k.gemm(dx, dy, false, w, false, 1f, 1f);
    }
}
