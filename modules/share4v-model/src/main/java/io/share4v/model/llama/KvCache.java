package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-layer rotated keys and values of every position generated so far, allocated once for
 * {@code blocks x capacity} positions (llama2.c's {@code key_cache}/{@code value_cache}). Sample b of a
 * generation batch owns block b: its position t is row {@code b*capacity + t}. Nothing grows while decoding.
 *
 * <p>L = layers, Hkv = key/value heads, D = head dim.
 */
public final class KvCache {
    public final INDArray[] k; // L x [blocks*capacity, Hkv*D] after RoPE
    public final INDArray[] v; // L x [blocks*capacity, Hkv*D]
    private final int blocks;
    private final int capacity;

    public KvCache(LlamaConfig c, int blocks, int capacity, DataType dtype) {
        if (blocks < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "KV cache needs blocks >= 1 and capacity >= 1: blocks=" + blocks + " capacity=" + capacity);
        }
        this.blocks = blocks;
        this.capacity = capacity;
        k = new INDArray[c.numLayers()];
        v = new INDArray[c.numLayers()];
        for (int l = 0; l < c.numLayers(); l++) {
            k[l] = Nd4j.zeros(dtype, (long) blocks * capacity, c.kvDim());
            v[l] = Nd4j.zeros(dtype, (long) blocks * capacity, c.kvDim());
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
            s += (k[l].length() + v[l].length()) * k[l].dataType().width();
        }
        return s;
    }
}
