package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.DecodeShape;
import io.share4v.tensor.ops.Kernels;

/**
 * The decoder's forward-only buffers for KV-cached generation ({@link LlamaDecoder#forwardCached}), allocated once
 * for up to {@code maxRows} new rows per call (prefill: batch x prompt; decode: batch x 1) and
 * {@code maxPicked} rows whose logits are wanted. Nothing is kept for a backward: one set of layer buffers is
 * shared by all layers and the residual stream ping-pongs between two buffers. Views are re-pointed by
 * {@link #shape}; no array is created per step.
 *
 * <p>N = rows of the current call, C = hidden, F = intermediate, H / Hkv heads, D = head dim.
 */
public final class CachedActivations {
    /** The cos/sin rows for {@link Kernels#rope}: row {@code b*seq + t} takes table row t. */
    public record RopeRows(Tensor cos, Tensor sin, int batch, int seq) {}

    private final LlamaConfig config;
    private final int maxRows;
    private final int maxPicked;
    private final Tensor[] xFlat = new Tensor[2]; // 2 x [maxRows*C] residual stream, ping-pong
    private final Tensor[] layerFlat; // ln1, rstd1, q, k, v, att, mid, ln2, rstd2, gate, up, h
    private final Tensor cosRows; // [maxRows, D] gathered table rows (ragged positions)
    private final Tensor sinRows; // [maxRows, D]
    private final Tensor picked; // [maxPicked, C]
    private final Tensor pickedNorm; // [maxPicked, C]
    private final Tensor pickedRstd; // [maxPicked]
    private final LlamaActivations.Layer layer = new LlamaActivations.Layer();
    private final Tensor[] x = new Tensor[2];
    private int rows = -1;

    public CachedActivations(LlamaConfig c, int maxRows, int maxPicked, Backend backend, DType dtype) {
        if (maxRows < 1 || maxPicked < 1) {
            throw new IllegalArgumentException("cached activations need maxRows >= 1 and maxPicked >= 1: maxRows="
                    + maxRows + " maxPicked=" + maxPicked);
        }
        this.config = c;
        this.maxRows = maxRows;
        this.maxPicked = maxPicked;
        long n = maxRows;
        long C = c.hiddenSize();
        long F = c.intermediateSize();
        long qd = (long) c.numHeads() * c.headDim();
        long kvd = c.kvDim();
        xFlat[0] = backend.allocate(dtype, n * C);
        xFlat[1] = backend.allocate(dtype, n * C);
        long[] sizes = {n * C, n, n * qd, n * kvd, n * kvd, n * qd, n * C, n * C, n, n * F, n * F, n * F};
        layerFlat = new Tensor[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            layerFlat[i] = backend.allocate(dtype, sizes[i]);
        }
        cosRows = backend.allocate(dtype, n, c.headDim());
        sinRows = backend.allocate(dtype, n, c.headDim());
        picked = backend.allocate(dtype, maxPicked, C);
        pickedNorm = backend.allocate(dtype, maxPicked, C);
        pickedRstd = backend.allocate(dtype, maxPicked);
    }

    /** Points every view at the front of its buffer for a call of {@code n} new rows. */
    public CachedActivations shape(int n) {
        if (n < 1 || n > maxRows) {
            throw new IllegalArgumentException(
                    "a cached forward of " + n + " rows exceeds the capacity of " + maxRows + " rows");
        }
        if (n == rows) {
            return this;
        }
        LlamaConfig c = config;
        long C = c.hiddenSize();
        long F = c.intermediateSize();
        long qd = (long) c.numHeads() * c.headDim();
        long kvd = c.kvDim();
        x[0] = LlamaActivations.view(xFlat[0], n, C);
        x[1] = LlamaActivations.view(xFlat[1], n, C);
        LlamaActivations.Layer a = layer;
        a.ln1 = LlamaActivations.view(layerFlat[0], n, C);
        a.rstd1 = LlamaActivations.view(layerFlat[1], n);
        a.q = LlamaActivations.view(layerFlat[2], n, qd);
        a.k = LlamaActivations.view(layerFlat[3], n, kvd);
        a.v = LlamaActivations.view(layerFlat[4], n, kvd);
        a.att = LlamaActivations.view(layerFlat[5], n, qd);
        a.mid = LlamaActivations.view(layerFlat[6], n, C);
        a.ln2 = LlamaActivations.view(layerFlat[7], n, C);
        a.rstd2 = LlamaActivations.view(layerFlat[8], n);
        a.gate = LlamaActivations.view(layerFlat[9], n, F);
        a.up = LlamaActivations.view(layerFlat[10], n, F);
        a.h = LlamaActivations.view(layerFlat[11], n, F);
        rows = n;
        return this;
    }

    /** Input of layer l (l = 0: the new rows' embeddings, to be filled by the caller); l = L: last layer's output. */
    public Tensor x(int l) {
        return x[l % 2];
    }

    LlamaActivations.Layer layer() {
        return layer;
    }

    Tensor picked(int r) {
        return pickRows(picked, r);
    }

    Tensor pickedNorm(int r) {
        return pickRows(pickedNorm, r);
    }

    Tensor pickedRstd(int r) {
        if (r > maxPicked) {
            throw new IllegalArgumentException(r + " logit rows exceed the capacity of " + maxPicked);
        }
        return pickedRstd.rows(0, r);
    }

    private Tensor pickRows(Tensor a, int r) {
        if (r < 1 || r > maxPicked) {
            throw new IllegalArgumentException(r + " logit rows outside [1, " + maxPicked + "]");
        }
        return a.rows(0, r);
    }

    /**
     * The cos/sin rows of a call's new rows: views of table rows {@code [past, past+n)} when every sample is at the
     * same past (the prefill), else table row {@code past(b)+i} gathered for each new row (ragged decoding).
     */
    public RopeRows ropeRows(RopeTables tables, DecodeShape s, Kernels k) {
        int n = s.newTokens();
        boolean uniform = true;
        for (int b = 1; b < s.batch(); b++) {
            uniform &= s.past(b) == s.past(0);
        }
        if (s.maxKeys() > tables.maxT()) {
            throw new IllegalArgumentException(
                    "position " + (s.maxKeys() - 1) + " is beyond the rotary tables (" + tables.maxT() + " positions)");
        }
        if (uniform) {
            Tensor cos = tables.cos.rows(s.past(0), n);
            Tensor sin = tables.sin.rows(s.past(0), n);
            return new RopeRows(cos, sin, s.batch(), n);
        }
        int total = s.batch() * n;
        Tensor cos = cosRows.rows(0, total);
        Tensor sin = sinRows.rows(0, total);
        for (int b = 0; b < s.batch(); b++) {
            long r = (long) b * n;
            int p = s.past(b);
            k.copy(cos.rows(r, n), tables.cos.rows(p, n));
            k.copy(sin.rows(r, n), tables.sin.rows(p, n));
        }
        return new RopeRows(cos, sin, 1, total);
    }

    public int maxRows() {
        return maxRows;
    }

    public int maxPicked() {
        return maxPicked;
    }

    /** Bytes held. */
    public long bytes() {
        long s = xFlat[0].length()
                + xFlat[1].length()
                + cosRows.length()
                + sinRows.length()
                + picked.length()
                + pickedNorm.length()
                + pickedRstd.length();
        for (Tensor a : layerFlat) {
            s += a.length();
        }
        return s * xFlat[0].dtype().bytes();
    }
}
