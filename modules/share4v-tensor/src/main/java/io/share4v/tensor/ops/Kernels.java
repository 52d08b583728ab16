package io.share4v.tensor.ops;

import io.share4v.tensor.Tensor;

/**
 * The numeric kernels of the ShareGPT4V model, forward and backward, llm.c style: outputs first, then
 * inputs, then dimensions. Every argument is a {@link Tensor} (a dense C-ordered view, possibly into a flat
 * parameter, gradient or activation buffer); activations are kept 2-D, rows = tokens. All tensors of one call
 * share one element type: FLOAT for training and inference, DOUBLE for the finite-difference checks.
 * Implementations do not allocate per call beyond reusable scratch, so a training step's memory is flat.
 *
 * <p>Dimension letters: N = rows (tokens, B*T), C = channels, O = output features, V = vocab, B = batch,
 * T = sequence, H = query heads, Hkv = key/value heads, D = head dim, P = patches, S = patch size.
 *
 * <p>Backward kernels <b>accumulate</b> into parameter gradients ({@code dW += ...}) because a parameter's
 * gradient sums over every use, and <b>overwrite</b> input gradients ({@code dx = ...}) unless the method says
 * otherwise. Shapes are checked; a mismatch is an {@link IllegalArgumentException} naming the arguments.
 *
 * <p>Implementations: {@link ScalarKernels} (the pure-Java reference, the {@code java} backend's kernels, on any
 * host memory) and the {@code nd4j} backend's (OpenBLAS and Java loops on host memory). A backend hands out its
 * kernels ({@link io.share4v.tensor.backend.Backend#kernels()}), together with the allocator of the tensors they
 * read and write.
 */
public interface Kernels {

    /** A human-readable name for logs and benchmark output, e.g. "nd4j-cpu(openblas 0.3.28, 2 threads)". */
    String name();

    // ---------------------------------------------------------------- linear algebra

    /** {@code c = alpha * op(a) @ op(b) + beta * c}; op transposes when asked. 2-D only. */
    void gemm(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta);

    /**
     * Linear layer in the HF layout: {@code y[N,O] = x[N,C] @ w[O,C]^T + bias[O]} (bias may be null).
     */
    void linearForward(Tensor y, Tensor x, Tensor w, Tensor bias);

    /**
     * Backward of {@link #linearForward}: {@code dx = dy @ w} (skipped when dx is null, e.g. for the first
     * trainable layer), {@code dw += dy^T @ x} and {@code dbias += sum_rows(dy)} (each skipped when null:
     * frozen parameters get no gradient work beyond what the chain rule needs).
     */
    void linearBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w);

    // ---------------------------------------------------------------- elementwise

    /** {@code out = a + b} (out may alias a or b). */
    void add(Tensor out, Tensor a, Tensor b);

    /** {@code acc += x}. */
    void addInPlace(Tensor acc, Tensor x);

    /**
     * {@code out = x * s} (out may alias x), with {@code s} in the tensors' type: rounded to float for FLOAT, exact
     * for DOUBLE (attention's {@code 1/sqrt(D)} is not a float for every D, and the DOUBLE checks need the double).
     */
    void scale(Tensor out, Tensor x, double s);

    /** {@code x = 0}. */
    void zero(Tensor x);

    /** {@code dst = src} (same length; shapes may differ). */
    void copy(Tensor dst, Tensor src);

    /** Activation {@code out = f(x)}. */
    void activationForward(Tensor out, Tensor x, Activation f);

    /** {@code dx = f'(x) * dout} (dx may alias dout). */
    void activationBackward(Tensor dx, Tensor dout, Tensor x, Activation f);

    /** SwiGLU: {@code h = silu(gate) * up}. */
    void swigluForward(Tensor h, Tensor gate, Tensor up);

    /** Backward of {@link #swigluForward}: overwrites dgate and dup. */
    void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up);

    // ---------------------------------------------------------------- normalisation

    /**
     * LayerNorm over the last dim: {@code y = (x - mean) * rstd * gamma + beta}; writes {@code mean[N]},
     * {@code rstd[N]} for the backward.
     */
    void layerNormForward(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor gamma, Tensor beta, float eps);

    /** Backward of {@link #layerNormForward}: {@code dx} overwritten (null: skipped), dgamma/dbeta accumulated (null: skipped). */
    void layerNormBackward(
            Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd, Tensor gamma);

    /** RMSNorm (LLaMA): {@code y = x * rstd * gamma}, {@code rstd = 1/sqrt(mean(x^2) + eps)}; writes rstd[N]. */
    void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor gamma, float eps);

    /** Backward of {@link #rmsNormForward}. */
    void rmsNormBackward(Tensor dx, Tensor dgamma, Tensor dy, Tensor x, Tensor rstd, Tensor gamma);

    // ---------------------------------------------------------------- attention

    /**
     * HF "rotate_half" rotary embedding, in place, on {@code x[B*T, heads*D]} with position {@code t} for row
     * {@code b*T+t}: pairs dimension i with i+D/2 inside each head. {@code cos, sin} are {@code [maxT, D]}
     * tables (both halves duplicated, as HF builds them). {@code inverse} applies the transpose rotation
     * (the backward).
     */
    void rope(Tensor x, Tensor cos, Tensor sin, int batch, int seq, int heads, int headDim, boolean inverse);

    /**
     * Scaled dot-product attention per (batch, head) with grouped-query attention (query head h reads
     * key/value head {@code h / (H/Hkv)}). Inputs are row-major {@code q[B*T, H*D]}, {@code k,v[B*T, Hkv*D]};
     * output {@code out[B*T, H*D]}. {@code causal} masks future positions; the shape's {@link AttentionMask}
     * masks right-padded keys (positions {@code >= validLength[b]}) and single keys anywhere (a pad id inside the
     * text), the latter treated exactly like a right-padded key. Saves the softmax probabilities in
     * {@code probs[B, H, T, T]} for the backward (may be recomputed by an implementation that does not keep them,
     * in which case probs may be null).
     */
    void attentionForward(Tensor out, Tensor probs, Tensor q, Tensor k, Tensor v, AttentionShape s);

    /**
     * Backward of {@link #attentionForward}: overwrites dq, dk, dv (each skipped when null). A query row with no
     * visible key (when {@code validLength[b] == 0}, or every causally visible key is masked singly) gets uniform
     * probabilities over all T keys in the forward, as HF's additive dtype-min mask yields; those probabilities do
     * not depend on q or k, so such a row contributes to dv only. Rows past {@code validLength} with visible keys
     * (right-padded queries) are ordinary rows, again as in HF.
     */
    void attentionBackward(
            Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor probs, Tensor q, Tensor k, Tensor v, AttentionShape s);

    /**
     * KV-cached attention for generation (forward only): {@code q[B*n, H*D]} holds n new query rows per sample;
     * sample b's rows sit at positions {@code past(b) .. past(b)+n-1}. {@code kCache, vCache[blocks*capacity, Hkv*D]}
     * hold sample b's keys and values at rows {@code slot(b)*capacity + position} (the new rows already written).
     * Query i of sample b sees keys {@code 0 .. past(b)+i} of its block; {@code out[B*n, H*D]}. Per-sample past
     * lengths decode prompts of different lengths together, each at its own positions. For rotary positions
     * past the start, pass the cos/sin table rows of each new row to {@link #rope}.
     */
    void attentionDecode(Tensor out, Tensor q, Tensor kCache, Tensor vCache, DecodeShape s);

    // ---------------------------------------------------------------- embeddings and loss

    /** {@code out[n] = table[ids[n]]} for {@code ids[n] >= 0}; rows with a negative id are left untouched. */
    void embeddingForward(Tensor out, Tensor table, int[] ids);

    /** {@code dtable[ids[n]] += dout[n]} for {@code ids[n] >= 0}. */
    void embeddingBackward(Tensor dtable, Tensor dout, int[] ids);

    /**
     * Cross-entropy over rows of {@code logits[N, V]} against {@code targets[N]} ({@code ignoreIndex} rows skip).
     * Returns the summed loss (in double) over counted rows; writes {@code dlogits = (softmax - onehot) * gradScale}
     * for counted rows and 0 for ignored ones when dlogits is not null (dlogits may alias logits).
     */
    double crossEntropy(Tensor dlogits, Tensor logits, int[] targets, int ignoreIndex, float gradScale);

    // ---------------------------------------------------------------- vision

    /**
     * im2col for a stride = kernel patch convolution: {@code images[B, 3, H, W]} to
     * {@code patches[B*P, 3*S*S]} in PyTorch's (channel, ky, kx) weight order, patches row-major over the grid.
     */
    void patchify(Tensor patches, Tensor images, int patchSize);

    /**
     * Backward of {@link #patchify} (col2im for stride = kernel): {@code dimages[B, 3, H, W]} overwritten with
     * {@code dpatches[B*P, 3*S*S]} moved back to pixel positions; patchify is a permutation, so nothing sums.
     */
    void patchifyBackward(Tensor dimages, Tensor dpatches, int patchSize);
}
