package io.share4v.backend.nd4j;

import io.share4v.tensor.Tensor;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.Parallel;
import io.share4v.tensor.ops.Pointwise;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The FLOAT fast paths of {@link CpuBlasKernels}' memory-bound kernels. Rows are copied with bulk transfers into
 * per-thread heap arrays (which the JIT vectorises), computed, and copied back; row ranges are split over the
 * cores. Reductions accumulate in double like the oracle. Shapes are checked by the caller.
 */
final class FloatLoops {
    private static final int SLOTS = 4;
    private static final ThreadLocal<float[][]> TMP = ThreadLocal.withInitial(() -> new float[SLOTS][]);
    /** Minimum elements per parallel chunk: below this, a fork costs more than it saves. */
    private static final int GRAIN = 1 << 15;

    private FloatLoops() {}

    /**
     * The elements of FLOAT tensor {@code t} as a float buffer (null stays null). Memory seen through JavaCPP
     * (this backend's tensors, scratch) is mapped element-indexed, so up to 2^31-1 elements; other host memory through the
     * tensor's own window.
     */
    static FloatBuffer buf(String op, String name, Tensor t) {
        if (t == null) {
            return null;
        }
        long n = t.length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + name + " has " + n + " elements; split it (limit 2^31-1)");
        }
        if (!(t.storage() instanceof PointerStorage)) {
            return t.floats();
        }
        return new FloatPointer(PointerStorage.at(Blas.address(t), t.bytes()))
                .position(0)
                .limit(n)
                .capacity(n)
                .asBuffer();
    }

    /** A per-thread heap array of at least n floats (slot: independent arrays in one kernel). */
    static float[] tmp(int slot, int n) {
        float[][] t = TMP.get();
        if (t[slot] == null || t[slot].length < n) {
            t[slot] = new float[n];
        }
        return t[slot];
    }

    private static int rowGrain(long cols) {
        return (int) Math.max(1, GRAIN / Math.max(1, cols));
    }

    // ---------------------------------------------------------------- elementwise, any length

    static void zero(Tensor x) {
        Pointer.memset(PointerStorage.at(Blas.address(x), x.bytes()), 0, x.bytes());
    }

    static void copy(Tensor dst, Tensor src) {
        Pointer.memcpy(
                PointerStorage.at(Blas.address(dst), dst.bytes()),
                PointerStorage.at(Blas.address(src), src.bytes()),
                dst.bytes());
    }

    /** out = a + s * b (s = 1: add; a = null: out = s * b). */
    static void axpby(String op, Tensor out, Tensor a, Tensor b, float s) {
        FloatBuffer fo = buf(op, "out", out);
        FloatBuffer fa = buf(op, "a", a);
        FloatBuffer fb = buf(op, "b", b);
        int n = fo.capacity();
        int chunk = 4096;
        Parallel.rows((n + chunk - 1) / chunk, GRAIN / chunk, (c0, c1) -> {
            float[] ta = tmp(0, chunk);
            float[] tb = tmp(1, chunk);
            for (int c = c0; c < c1; c++) {
                int from = c * chunk;
                int len = Math.min(chunk, n - from);
                fb.get(from, tb, 0, len);
                if (fa != null) {
                    fa.get(from, ta, 0, len);
                    for (int i = 0; i < len; i++) {
                        ta[i] += s * tb[i];
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        ta[i] = s * tb[i];
                    }
                }
                fo.put(from, ta, 0, len);
            }
        });
    }

    // ---------------------------------------------------------------- activations

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static void activationForward(String op, Tensor out, Tensor x, Activation f) {
        FloatBuffer fo = buf(op, "out", out);
        FloatBuffer fx = buf(op, "x", x);
        chunked(fo.capacity(), (from, len) -> {
            float[] t = tmp(0, len);
            fx.get(from, t, 0, len);
            switch (f) {
                case SILU -> {
                    for (int i = 0; i < len; i++) {
                        t[i] = t[i] * sigmoid(t[i]);
                    }
                }
                case QUICK_GELU -> {
                    for (int i = 0; i < len; i++) {
                        t[i] = t[i] * sigmoid((float) Pointwise.QUICK_GELU_ALPHA * t[i]);
                    }
                }
                case GELU -> {
                    for (int i = 0; i < len; i++) {
                        t[i] = (float) Pointwise.geluFloat(t[i]);
                    }
                }
            }
            fo.put(from, t, 0, len);
        });
    }

    static void activationBackward(String op, Tensor dx, Tensor dout, Tensor x, Activation f) {
        FloatBuffer fdx = buf(op, "dx", dx);
        FloatBuffer fdo = buf(op, "dout", dout);
        FloatBuffer fx = buf(op, "x", x);
        chunked(fx.capacity(), (from, len) -> {
            float[] t = tmp(0, len);
            float[] g = tmp(1, len);
            fx.get(from, t, 0, len);
            fdo.get(from, g, 0, len);
            switch (f) {
                case SILU -> {
                    for (int i = 0; i < len; i++) {
                        float s = sigmoid(t[i]);
                        g[i] *= s * (1f + t[i] * (1f - s));
                    }
                }
                case QUICK_GELU -> {
                    float alpha = (float) Pointwise.QUICK_GELU_ALPHA;
                    for (int i = 0; i < len; i++) {
                        float s = sigmoid(alpha * t[i]);
                        g[i] *= s + alpha * t[i] * s * (1f - s);
                    }
                }
                case GELU -> {
                    for (int i = 0; i < len; i++) {
                        g[i] *= (float) Pointwise.geluDerivativeFloat(t[i]);
                    }
                }
            }
            fdx.put(from, g, 0, len);
        });
    }

    static void swigluForward(String op, Tensor h, Tensor gate, Tensor up) {
        FloatBuffer fh = buf(op, "h", h);
        FloatBuffer fg = buf(op, "gate", gate);
        FloatBuffer fu = buf(op, "up", up);
        chunked(fg.capacity(), (from, len) -> {
            float[] g = tmp(0, len);
            float[] u = tmp(1, len);
            fg.get(from, g, 0, len);
            fu.get(from, u, 0, len);
            for (int i = 0; i < len; i++) {
                u[i] *= g[i] * sigmoid(g[i]);
            }
            fh.put(from, u, 0, len);
        });
    }

    static void swigluBackward(String op, Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        FloatBuffer fdg = buf(op, "dgate", dgate);
        FloatBuffer fdu = buf(op, "dup", dup);
        FloatBuffer fdh = buf(op, "dh", dh);
        FloatBuffer fg = buf(op, "gate", gate);
        FloatBuffer fu = buf(op, "up", up);
        chunked(fg.capacity(), (from, len) -> {
            float[] g = tmp(0, len);
            float[] u = tmp(1, len);
            float[] d = tmp(2, len);
            float[] o = tmp(3, len);
            fg.get(from, g, 0, len);
            fu.get(from, u, 0, len);
            fdh.get(from, d, 0, len);
            for (int i = 0; i < len; i++) {
                float s = sigmoid(g[i]);
                float silu = g[i] * s;
                o[i] = d[i] * u[i] * s * (1f + g[i] * (1f - s)); // dgate
                u[i] = d[i] * silu; // dup
            }
            if (fdg != null) {
                fdg.put(from, o, 0, len);
            }
            if (fdu != null) {
                fdu.put(from, u, 0, len);
            }
        });
    }

    private interface Chunk {
        void run(int from, int len);
    }

    private static void chunked(int n, Chunk body) {
        int chunk = 4096;
        Parallel.rows((n + chunk - 1) / chunk, GRAIN / chunk, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int from = c * chunk;
                body.run(from, Math.min(chunk, n - from));
            }
        });
    }

    // ---------------------------------------------------------------- normalisation (rows)

    static void layerNormForward(
            String op,
            Tensor y,
            Tensor mean,
            Tensor rstd,
            Tensor x,
            Tensor gamma,
            Tensor beta,
            float eps,
            int n,
            int c) {
        FloatBuffer fy = buf(op, "y", y);
        FloatBuffer fm = buf(op, "mean", mean);
        FloatBuffer fr = buf(op, "rstd", rstd);
        FloatBuffer fx = buf(op, "x", x);
        float[] g = rowOf(buf(op, "gamma", gamma), c, 1f);
        float[] b = rowOf(buf(op, "beta", beta), c, 0f);
        Parallel.rows(n, rowGrain(c), (r0, r1) -> {
            float[] t = tmp(0, c);
            for (int r = r0; r < r1; r++) {
                fx.get(r * c, t, 0, c);
                double m = 0;
                for (int i = 0; i < c; i++) {
                    m += t[i];
                }
                m /= c;
                double var = 0;
                for (int i = 0; i < c; i++) {
                    double d = t[i] - m;
                    var += d * d;
                }
                float s = (float) (1.0 / Math.sqrt(var / c + eps));
                float mf = (float) m;
                for (int i = 0; i < c; i++) {
                    t[i] = (t[i] - mf) * s * g[i] + b[i];
                }
                fy.put(r * c, t, 0, c);
                if (fm != null) {
                    fm.put(r, mf);
                }
                fr.put(r, s);
            }
        });
    }

    static void layerNormBackward(
            String op,
            Tensor dx,
            Tensor dgamma,
            Tensor dbeta,
            Tensor dy,
            Tensor x,
            Tensor mean,
            Tensor rstd,
            Tensor gamma,
            int n,
            int c) {
        FloatBuffer fdx = buf(op, "dx", dx);
        FloatBuffer fdy = buf(op, "dy", dy);
        FloatBuffer fx = buf(op, "x", x);
        FloatBuffer fm = buf(op, "mean", mean);
        FloatBuffer fr = buf(op, "rstd", rstd);
        float[] g = rowOf(buf(op, "gamma", gamma), c, 1f);
        double[] dg = dgamma == null ? null : new double[c];
        double[] db = dbeta == null ? null : new double[c];
        Object lock = new Object();
        Parallel.rows(n, rowGrain(c), (r0, r1) -> {
            float[] tx = tmp(0, c);
            float[] td = tmp(1, c);
            double[] pg = dg == null ? null : new double[c];
            double[] pb = db == null ? null : new double[c];
            for (int r = r0; r < r1; r++) {
                fx.get(r * c, tx, 0, c);
                fdy.get(r * c, td, 0, c);
                float m = fm.get(r);
                float s = fr.get(r);
                double sumD = 0;
                double sumDN = 0;
                for (int i = 0; i < c; i++) {
                    float norm = (tx[i] - m) * s;
                    float dn = td[i] * g[i];
                    sumD += dn;
                    sumDN += dn * norm;
                    if (pg != null) {
                        pg[i] += td[i] * norm;
                    }
                    if (pb != null) {
                        pb[i] += td[i];
                    }
                }
                float meanD = (float) (sumD / c);
                float meanDN = (float) (sumDN / c);
                if (fdx != null) {
                    for (int i = 0; i < c; i++) {
                        float norm = (tx[i] - m) * s;
                        tx[i] = s * (td[i] * g[i] - meanD - norm * meanDN);
                    }
                    fdx.put(r * c, tx, 0, c);
                }
            }
            synchronized (lock) {
                addInto(dg, pg);
                addInto(db, pb);
            }
        });
        accumulate(buf(op, "dgamma", dgamma), dg);
        accumulate(buf(op, "dbeta", dbeta), db);
    }

    static void rmsNormForward(String op, Tensor y, Tensor rstd, Tensor x, Tensor gamma, float eps, int n, int c) {
        FloatBuffer fy = buf(op, "y", y);
        FloatBuffer fr = buf(op, "rstd", rstd);
        FloatBuffer fx = buf(op, "x", x);
        float[] g = rowOf(buf(op, "gamma", gamma), c, 1f);
        Parallel.rows(n, rowGrain(c), (r0, r1) -> {
            float[] t = tmp(0, c);
            for (int r = r0; r < r1; r++) {
                fx.get(r * c, t, 0, c);
                double ss = 0;
                for (int i = 0; i < c; i++) {
                    ss += t[i] * t[i];
                }
                float s = (float) (1.0 / Math.sqrt(ss / c + eps));
                for (int i = 0; i < c; i++) {
                    t[i] = t[i] * s * g[i];
                }
                fy.put(r * c, t, 0, c);
                fr.put(r, s);
            }
        });
    }

    static void rmsNormBackward(
            String op, Tensor dx, Tensor dgamma, Tensor dy, Tensor x, Tensor rstd, Tensor gamma, int n, int c) {
        FloatBuffer fdx = buf(op, "dx", dx);
        FloatBuffer fdy = buf(op, "dy", dy);
        FloatBuffer fx = buf(op, "x", x);
        FloatBuffer fr = buf(op, "rstd", rstd);
        float[] g = rowOf(buf(op, "gamma", gamma), c, 1f);
        double[] dg = dgamma == null ? null : new double[c];
        Object lock = new Object();
        Parallel.rows(n, rowGrain(c), (r0, r1) -> {
            float[] tx = tmp(0, c);
            float[] td = tmp(1, c);
            double[] pg = dg == null ? null : new double[c];
            for (int r = r0; r < r1; r++) {
                fx.get(r * c, tx, 0, c);
                fdy.get(r * c, td, 0, c);
                float s = fr.get(r);
                double sumDN = 0;
                for (int i = 0; i < c; i++) {
                    float norm = tx[i] * s;
                    sumDN += td[i] * g[i] * norm;
                    if (pg != null) {
                        pg[i] += td[i] * norm;
                    }
                }
                float meanDN = (float) (sumDN / c);
                if (fdx != null) {
                    for (int i = 0; i < c; i++) {
                        tx[i] = s * (td[i] * g[i] - tx[i] * s * meanDN);
                    }
                    fdx.put(r * c, tx, 0, c);
                }
            }
            synchronized (lock) {
                addInto(dg, pg);
            }
        });
        accumulate(buf(op, "dgamma", dgamma), dg);
    }

    private static float[] rowOf(FloatBuffer b, int c, float fill) {
        float[] r = new float[c];
        if (b == null) {
            java.util.Arrays.fill(r, fill);
        } else {
            b.get(0, r, 0, c);
        }
        return r;
    }

    private static void addInto(double[] acc, double[] part) {
        if (acc != null) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] += part[i];
            }
        }
    }

    private static void accumulate(FloatBuffer target, double[] sum) {
        if (target != null) {
            for (int i = 0; i < sum.length; i++) {
                target.put(i, (float) (target.get(i) + sum[i]));
            }
        }
    }

    // ---------------------------------------------------------------- rope, embeddings, bias

    static void rope(
            String op, Tensor x, Tensor cos, Tensor sin, int batch, int seq, int heads, int headDim, boolean inverse) {
        FloatBuffer fx = buf(op, "x", x);
        FloatBuffer fc = buf(op, "cos", cos);
        FloatBuffer fs = buf(op, "sin", sin);
        int half = headDim / 2;
        int width = heads * headDim;
        Parallel.rows(batch * seq, rowGrain(width), (r0, r1) -> {
            float[] t = tmp(0, width);
            float[] c = tmp(1, headDim);
            float[] s = tmp(2, headDim);
            for (int r = r0; r < r1; r++) {
                int pos = r % seq;
                fx.get(r * width, t, 0, width);
                fc.get(pos * headDim, c, 0, headDim);
                fs.get(pos * headDim, s, 0, headDim);
                for (int h = 0; h < heads; h++) {
                    int base = h * headDim;
                    for (int i = 0; i < half; i++) {
                        float x1 = t[base + i];
                        float x2 = t[base + i + half];
                        if (!inverse) {
                            t[base + i] = x1 * c[i] - x2 * s[i];
                            t[base + i + half] = x2 * c[i + half] + x1 * s[i + half];
                        } else {
                            t[base + i] = x1 * c[i] + x2 * s[i + half];
                            t[base + i + half] = x2 * c[i + half] - x1 * s[i];
                        }
                    }
                }
                fx.put(r * width, t, 0, width);
            }
        });
    }

    static void embeddingForward(Tensor out, Tensor table, int[] ids, long c) {
        long po = Blas.address(out);
        long pt = Blas.address(table);
        long rowBytes = c * 4;
        for (int n = 0; n < ids.length; n++) {
            if (ids[n] >= 0) {
                Pointer.memcpy(
                        PointerStorage.at(po + n * rowBytes, rowBytes),
                        PointerStorage.at(pt + ids[n] * rowBytes, rowBytes),
                        rowBytes);
            }
        }
    }

    /** Each row of y[n, o] = bias[o]. */
    static void broadcastRows(String op, Tensor y, Tensor bias, int n, int o) {
        FloatBuffer fy = buf(op, "y", y);
        float[] b = rowOf(buf(op, "bias", bias), o, 0f);
        for (int r = 0; r < n; r++) {
            fy.put(r * o, b, 0, o);
        }
    }

    /** dbias[o] += sum over rows of dy[n, o]. */
    static void columnSums(String op, Tensor dbias, Tensor dy, int n, int o) {
        FloatBuffer fdy = buf(op, "dy", dy);
        double[] acc = new double[o];
        float[] t = tmp(0, o);
        for (int r = 0; r < n; r++) {
            fdy.get(r * o, t, 0, o);
            for (int j = 0; j < o; j++) {
                acc[j] += t[j];
            }
        }
        accumulate(buf(op, "dbias", dbias), acc);
    }

    // ---------------------------------------------------------------- loss

    static double crossEntropy(
            String op, Tensor dlogits, Tensor logits, int[] targets, int ignoreIndex, float gradScale, int n, int v) {
        FloatBuffer fl = buf(op, "logits", logits);
        FloatBuffer fd = buf(op, "dlogits", dlogits);
        double[] partial = new double[n];
        Parallel.rows(n, 1, (r0, r1) -> {
            float[] t = tmp(0, v);
            for (int r = r0; r < r1; r++) {
                int target = targets[r];
                if (target == ignoreIndex) {
                    if (fd != null) {
                        java.util.Arrays.fill(t, 0, v, 0f);
                        fd.put(r * v, t, 0, v);
                    }
                    continue;
                }
                fl.get(r * v, t, 0, v);
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < v; i++) {
                    max = Math.max(max, t[i]);
                }
                float targetLogit = t[target];
                double sum = 0;
                for (int i = 0; i < v; i++) {
                    float e = (float) Math.exp(t[i] - max);
                    t[i] = e;
                    sum += e;
                }
                partial[r] = max + Math.log(sum) - targetLogit;
                if (fd != null) {
                    float k = (float) (gradScale / sum);
                    for (int i = 0; i < v; i++) {
                        t[i] *= k;
                    }
                    t[target] -= gradScale;
                    fd.put(r * v, t, 0, v);
                }
            }
        });
        double loss = 0;
        for (double p : partial) {
            loss += p;
        }
        return loss;
    }

    // ---------------------------------------------------------------- attention softmax on a score block

    /** Row softmax in place over a [rows, cols] block at {@code off}; see CpuBlasKernels.softmaxInPlace. */
    static void softmaxRows(
            FloatBuffer p,
            int off,
            int rows,
            int first,
            int cols,
            int valid,
            boolean causal,
            boolean[] keyValid,
            int keyOff) {
        float[] t = tmp(0, cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int last = Math.min(valid, causal ? first + r + 1 : cols);
            if (last > 0) {
                p.get(base, t, 0, last);
            }
            float max = Float.NEGATIVE_INFINITY;
            boolean any = false;
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    max = Math.max(max, t[j]);
                    any = true;
                }
            }
            if (!any) {
                java.util.Arrays.fill(t, 0, cols, 1f / cols);
                p.put(base, t, 0, cols);
                continue;
            }
            double sum = 0;
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    float e = (float) Math.exp(t[j] - max);
                    t[j] = e;
                    sum += e;
                } else {
                    t[j] = 0f;
                }
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < last; j++) {
                t[j] *= inv;
            }
            java.util.Arrays.fill(t, last, cols, 0f);
            p.put(base, t, 0, cols);
        }
    }

    /** dS = P * (dP - rowsum(P * dP)) * scale in place over dP; masked keys and rows with no visible key get 0. */
    static void softmaxBackwardRows(
            FloatBuffer dp,
            int dOff,
            FloatBuffer p,
            int pOff,
            int rows,
            int cols,
            float scale,
            int first,
            int valid,
            boolean causal,
            boolean[] keyValid,
            int keyOff) {
        float[] td = tmp(1, cols);
        float[] tp = tmp(2, cols);
        for (int r = 0; r < rows; r++) {
            int last = Math.min(valid, causal ? first + r + 1 : cols);
            boolean any = false;
            for (int j = 0; j < last && !any; j++) {
                any = keyValid == null || keyValid[keyOff + j];
            }
            if (!any) {
                java.util.Arrays.fill(td, 0, cols, 0f);
                dp.put(dOff + r * cols, td, 0, cols);
                continue;
            }
            dp.get(dOff + r * cols, td, 0, last);
            p.get(pOff + r * cols, tp, 0, last);
            double dot = 0;
            for (int j = 0; j < last; j++) {
                if (keyValid == null || keyValid[keyOff + j]) {
                    dot += tp[j] * td[j];
                }
            }
            float fdot = (float) dot;
            for (int j = 0; j < last; j++) {
                td[j] = keyValid == null || keyValid[keyOff + j] ? tp[j] * (td[j] - fdot) * scale : 0f;
            }
            java.util.Arrays.fill(td, last, cols, 0f);
            dp.put(dOff + r * cols, td, 0, cols);
        }
    }
}
