package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;

/**
 * Per-layer rotated keys and values of every position generated so far, allocated once for
 * {@code blocks x capacity} positions (llama2.c's {@code key_cache}/{@code value_cache}). Sample b of a
 * generation batch owns block b: its position t is row {@code b*capacity + t}. Nothing grows while decoding.
 *
 * <p>L = layers, Hkv = key/value heads, D = head dim.
 */
public final class KvCache {
    public final Tensor[] k; // L x [blocks*capacity, Hkv*D] after RoPE
    public final Tensor[] v; // L x [blocks*capacity, Hkv*D]
    private final int blocks;
    private final int capacity;

    public KvCache(LlamaConfig c, int blocks, int capacity, Backend backend, DType dtype) {
        if (blocks < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "KV cache needs blocks >= 1 and capacity >= 1: blocks=" + blocks + " capacity=" + capacity);
        }
        this.blocks = blocks;
        this.capacity = capacity;
        k = new Tensor[c.numLayers()];
        v = new Tensor[c.numLayers()];
        for (int l = 0; l < c.numLayers(); l++) {
            k[l] = backend.allocate(dtype, (long) blocks * capacity, c.kvDim());
            v[l] = backend.allocate(dtype, (long) blocks * capacity, c.kvDim());
        }
    }

    /** Number of per-sample blocks (the largest generation batch). */
    public int blocks() {
        return blocks;
    }

    /** Positions per sample (spliced prompt + new tokens). */
    public int capacity() {
        return capacity;
    }

    /** Bytes held (keys and values of every layer). */
    public long bytes() {
        long s = 0;
        for (int l = 0; l < k.length; l++) {
            s += (k[l].length() + v[l].length()) * k[l].dtype().bytes();
        }
        return s;
    }
}
