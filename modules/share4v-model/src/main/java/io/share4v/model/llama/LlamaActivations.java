package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;

/**
 * Every activation and backward scratch buffer of the decoder, allocated once for a capacity of
 * {@code maxBatch x maxSeq} tokens (llm.c's {@code ActivationTensors}). A step of {@code B x T} tokens uses
 * views into the front of each buffer ({@link #shape}), so nothing is allocated per step and off-heap memory
 * stays flat however long training runs.
 *
 * <p>With {@code recompute}, only each layer's input {@code x[l]} is kept; one shared set of per-layer buffers
 * is overwritten by every layer in the forward and refilled by re-running the layer in the backward
 * ({@link #recomputeSavingsBytes()} reports what that saves).
 *
 * <p>N = B*T rows, C = hidden, F = intermediate, V = vocab, H / Hkv = heads, D = head dim.
 */
public final class LlamaActivations {
    /** One decoder layer's saved activations, as views for the current {@code B x T}. */
    public static final class Layer {
        public Tensor ln1; // [N, C]   input_layernorm(x)
        public Tensor rstd1; // [N]
        public Tensor q; // [N, H*D]   after RoPE, times 1/sqrt(D)
        public Tensor k; // [N, Hkv*D] after RoPE
        public Tensor v; // [N, Hkv*D]
        public Tensor probs; // [B, H, T, T] softmax
        public Tensor att; // [N, H*D]   attention output before o_proj
        public Tensor mid; // [N, C]     x + o_proj(att)
        public Tensor ln2; // [N, C]     post_attention_layernorm(mid)
        public Tensor rstd2; // [N]
        public Tensor gate; // [N, F]
        public Tensor up; // [N, F]
        public Tensor h; // [N, F]     silu(gate) * up

        private final Tensor[] flat = new Tensor[13];
    }

    private final LlamaConfig config;
    private final DType dtype;
    private final int maxBatch;
    private final int maxSeq;
    private final boolean recompute;

    private final Backend backend;
    private final Tensor[] xFlat; // L+1 x [Nmax*C]
    private final Layer[] layers; // L entries, or 1 shared entry when recomputing
    private final Tensor[] finalFlat; // lnf, rstdf, logits
    private final Tensor[] gradFlat; // dres, dtmp, dtmp2, dq, dk, dv, datt, dgate, dup, dh

    private int batch = -1;
    private int seq = -1;

    /** Layer inputs {@code x[l]} [N, C] for l = 0..L-1 and the last layer's output {@code x[L]}. */
    public final Tensor[] x;

    public Tensor lnf; // [N, C] final norm output
    public Tensor rstdf; // [N]
    public Tensor logits; // [N, V] (the backward overwrites it with dlogits)
    /** Gradient of the residual stream; after the backward, d(inputs_embeds) [N, C]. */
    public Tensor dres;

    public Tensor dtmp; // [N, C]
    public Tensor dtmp2; // [N, C]
    public Tensor dq; // [N, H*D]
    public Tensor dk; // [N, Hkv*D]
    public Tensor dv; // [N, Hkv*D]
    public Tensor datt; // [N, H*D]
    public Tensor dgate; // [N, F]
    public Tensor dup; // [N, F]
    public Tensor dh; // [N, F]

    public LlamaActivations(LlamaConfig c, int maxBatch, int maxSeq, boolean recompute, Backend backend, DType dtype) {
        if (maxBatch < 1 || maxSeq < 1) {
            throw new IllegalArgumentException(
                    "activation capacity must be >= 1: maxBatch=" + maxBatch + " maxSeq=" + maxSeq);
        }
        this.config = c;
        this.dtype = dtype;
        this.backend = backend;
        this.maxBatch = maxBatch;
        this.maxSeq = maxSeq;
        this.recompute = recompute;
        long n = (long) maxBatch * maxSeq;
        int L = c.numLayers();
        xFlat = new Tensor[L + 1];
        for (int l = 0; l <= L; l++) {
            xFlat[l] = alloc(n * c.hiddenSize());
        }
        x = new Tensor[L + 1];
        layers = new Layer[recompute ? 1 : L];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer();
            long[] sizes = layerSizes(c, maxBatch, maxSeq);
            for (int j = 0; j < sizes.length; j++) {
                layers[i].flat[j] = alloc(sizes[j]);
            }
        }
        finalFlat = new Tensor[] {alloc(n * c.hiddenSize()), alloc(n), alloc(n * c.vocabSize())};
        long qd = (long) c.numHeads() * c.headDim();
        long kvd = c.kvDim();
        long C = c.hiddenSize();
        long F = c.intermediateSize();
        gradFlat = new Tensor[] {
            alloc(n * C),
            alloc(n * C),
            alloc(n * C),
            alloc(n * qd),
            alloc(n * kvd),
            alloc(n * kvd),
            alloc(n * qd),
            alloc(n * F),
            alloc(n * F),
            alloc(n * F)
        };
    }

    private static long[] layerSizes(LlamaConfig c, long b, long t) {
        long n = b * t;
        long C = c.hiddenSize();
        long F = c.intermediateSize();
        long qd = (long) c.numHeads() * c.headDim();
        long kvd = c.kvDim();
        return new long[] {
            n * C, n, n * qd, n * kvd, n * kvd, b * c.numHeads() * t * t, n * qd, n * C, n * C, n, n * F, n * F, n * F
        };
    }

    private Tensor alloc(long size) {
        return backend.allocate(dtype, size);
    }

    /**
     * Points every view at the front of its buffer for a step of {@code B x T} tokens. Cheap when the shape is
     * unchanged; fails loudly when the step exceeds the capacity.
     */
    public LlamaActivations shape(int B, int T) {
        if (B < 1 || T < 1 || B > maxBatch || T > maxSeq) {
            throw new IllegalArgumentException("step of batch " + B + " x seq " + T + " exceeds the activation"
                    + " capacity " + maxBatch + " x " + maxSeq + " (raise the model's capacity)");
        }
        if (B == batch && T == seq) {
            return this;
        }
        LlamaConfig c = config;
        long n = (long) B * T;
        long C = c.hiddenSize();
        long F = c.intermediateSize();
        long qd = (long) c.numHeads() * c.headDim();
        long kvd = c.kvDim();
        for (int l = 0; l < x.length; l++) {
            x[l] = view(xFlat[l], n, C);
        }
        for (Layer a : layers) {
            a.ln1 = view(a.flat[0], n, C);
            a.rstd1 = view(a.flat[1], n);
            a.q = view(a.flat[2], n, qd);
            a.k = view(a.flat[3], n, kvd);
            a.v = view(a.flat[4], n, kvd);
            a.probs = view(a.flat[5], B, c.numHeads(), T, T);
            a.att = view(a.flat[6], n, qd);
            a.mid = view(a.flat[7], n, C);
            a.ln2 = view(a.flat[8], n, C);
            a.rstd2 = view(a.flat[9], n);
            a.gate = view(a.flat[10], n, F);
            a.up = view(a.flat[11], n, F);
            a.h = view(a.flat[12], n, F);
        }
        lnf = view(finalFlat[0], n, C);
        rstdf = view(finalFlat[1], n);
        logits = view(finalFlat[2], n, c.vocabSize());
        dres = view(gradFlat[0], n, C);
        dtmp = view(gradFlat[1], n, C);
        dtmp2 = view(gradFlat[2], n, C);
        dq = view(gradFlat[3], n, qd);
        dk = view(gradFlat[4], n, kvd);
        dv = view(gradFlat[5], n, kvd);
        datt = view(gradFlat[6], n, qd);
        dgate = view(gradFlat[7], n, F);
        dup = view(gradFlat[8], n, F);
        dh = view(gradFlat[9], n, F);
        batch = B;
        seq = T;
        return this;
    }

    /** A C-ordered view of the first {@code prod(shape)} elements of a flat buffer. */
    static Tensor view(Tensor flat, long... shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return flat.rows(0, size).reshape(shape);
    }

    /** The activations of layer {@code l} (the one shared set when recomputing). */
    public Layer layer(int l) {
        return layers[recompute ? 0 : l];
    }

    public boolean recompute() {
        return recompute;
    }

    public int batch() {
        return batch;
    }

    public int seq() {
        return seq;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int maxSeq() {
        return maxSeq;
    }

    public DType dtype() {
        return dtype;
    }

    /** Bytes of one layer's saved activations at full capacity. */
    public long perLayerBytes() {
        return perLayerBytes(config, maxBatch, maxSeq, dtype);
    }

    /**
     * Bytes of one decoder layer's saved activations for {@code maxBatch x maxSeq} tokens, without allocating
     * (for planning: recomputation saves {@code (L-1)} times this).
     */
    public static long perLayerBytes(LlamaConfig c, int maxBatch, int maxSeq, DType dtype) {
        long s = 0;
        for (long v : layerSizes(c, maxBatch, maxSeq)) {
            s += v;
        }
        return s * dtype.bytes();
    }

    /** Bytes held by this object. */
    public long bytes() {
        long s = 0;
        for (Tensor a : xFlat) {
            s += a.length();
        }
        for (Layer l : layers) {
            for (Tensor a : l.flat) {
                s += a.length();
            }
        }
        for (Tensor a : finalFlat) {
            s += a.length();
        }
        for (Tensor a : gradFlat) {
            s += a.length();
        }
        return s * dtype.bytes();
    }

    /** Bytes that recomputation saves against keeping every layer's activations: {@code (L-1) * perLayer}. */
    public long recomputeSavingsBytes() {
        return (long) (config.numLayers() - 1) * perLayerBytes();
    }
}
