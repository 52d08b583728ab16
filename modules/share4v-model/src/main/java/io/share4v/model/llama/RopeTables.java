package io.share4v.model.llama;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;

/**
 * The rotary embedding's {@code cos, sin} tables {@code [maxT, D]} with both halves duplicated, as
 * transformers 4.31 {@code LlamaRotaryEmbedding} builds them. For FLOAT the arithmetic is done in float32 in
 * the reference's order ({@code inv_freq = 1 / theta^(2i/D)}, {@code freq = t * inv_freq}, then cos/sin), so
 * the tables match PyTorch's to about one ulp; for DOUBLE every step is in double.
 */
public final class RopeTables {
    public final Tensor cos; // [maxT, D]
    public final Tensor sin; // [maxT, D]
    private final int maxT;

    public RopeTables(int maxT, int headDim, double theta, Backend backend, DType dtype) {
        if (maxT < 1 || headDim < 2 || headDim % 2 != 0) {
            throw new IllegalArgumentException(
                    "rope tables need maxT >= 1 and an even head dim: maxT=" + maxT + " headDim=" + headDim);
        }
        this.maxT = maxT;
        int half = headDim / 2;
        double[] c = new double[maxT * headDim];
        double[] s = new double[maxT * headDim];
        for (int i = 0; i < half; i++) {
            double invFreq;
            if (dtype == DType.FLOAT) {
                float exponent = (float) (2 * i) / (float) headDim;
                invFreq = 1.0f / (float) Math.pow(theta, exponent);
            } else {
                invFreq = 1.0 / Math.pow(theta, (double) (2 * i) / headDim);
            }
            for (int t = 0; t < maxT; t++) {
                double angle = dtype == DType.FLOAT ? (double) ((float) t * (float) invFreq) : t * invFreq;
                double cv = Math.cos(angle);
                double sv = Math.sin(angle);
                c[t * headDim + i] = cv;
                c[t * headDim + i + half] = cv;
                s[t * headDim + i] = sv;
                s[t * headDim + i + half] = sv;
            }
        }
        cos = upload(backend, dtype, c, maxT, headDim);
        sin = upload(backend, dtype, s, maxT, headDim);
    }

    private static Tensor upload(Backend backend, DType dtype, double[] values, int rows, int cols) {
        Tensor t = backend.allocate(dtype, rows, cols);
        if (dtype == DType.DOUBLE) {
            backend.upload(t, values);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            backend.upload(t, f);
        }
        return t;
    }

    public int maxT() {
        return maxT;
    }
}
