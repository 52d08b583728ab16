package io.share4v.tensor.ops;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import java.util.Arrays;

/**
 * The argument checks of every {@link Kernels} method, one method per kernel, shared by the implementations so
 * that they accept and refuse the same calls with the same messages; every message names the kernel and the
 * argument. The first block holds the building blocks. A {@link Tensor} is always dense and C-ordered, so there
 * is no layout to check here. Public for the kernels of the backend modules, which must refuse exactly what
 * {@link ScalarKernels} refuses; not for model code.
 */
public final class Checks {
    private Checks() {}

    /** The one data type (FLOAT or DOUBLE) of all non-null arrays; anything else is an error. */
    public static DType dtype(String op, Tensor... arrays) {
        DType t = null;
        for (Tensor a : arrays) {
            if (a == null) {
                continue;
            }
            DType at = a.dtype();
            if (at != DType.FLOAT && at != DType.DOUBLE) {
                throw new IllegalArgumentException(op + ": arrays must be FLOAT or DOUBLE, got " + at);
            }
            if (t == null) {
                t = at;
            } else if (t != at) {
                throw new IllegalArgumentException(op + ": mixed data types " + t + " and " + at);
            }
        }
        if (t == null) {
            throw new IllegalArgumentException(op + ": no arrays given");
        }
        return t;
    }

    public static void rank2(String op, String name, Tensor a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException(
                    op + ": " + name + " must be 2-D, got shape " + Arrays.toString(a.shape()));
        }
    }

    public static void shape(String op, String name, Tensor a, long... expected) {
        if (a == null) {
            return;
        }
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    public static void length(String op, String name, Tensor a, long expected) {
        if (a == null) {
            return;
        }
        if (a.length() != expected) {
            throw new IllegalArgumentException(op + ": " + name + " has " + a.length() + " elements (shape "
                    + Arrays.toString(a.shape()) + "), expected " + expected);
        }
    }

    public static void sameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a == null || b == null) {
            return;
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": " + nameA + " " + Arrays.toString(a.shape()) + " and " + nameB
                    + " " + Arrays.toString(b.shape()) + " must have the same shape");
        }
    }

    public static void ids(String op, int[] ids, long rows, long vocab, boolean allowNegative) {
        if (ids.length != rows) {
            throw new IllegalArgumentException(op + ": " + ids.length + " ids for " + rows + " rows");
        }
        for (int n = 0; n < ids.length; n++) {
            int id = ids[n];
            if (id >= vocab || (id < 0 && !allowNegative)) {
                throw new IllegalArgumentException(op + ": id " + id + " at row " + n + " outside [0, " + vocab + ")");
            }
        }
    }

    // ---------------------------------------------------------------- linear algebra

    /** {@code op(a)} is {@code [m, k]}, {@code op(b)} is {@code [k, n]}, {@code c} is {@code [m, n]}. */
    public record GemmDims(long m, long n, long k) {}

    /** The argument checks of {@link Kernels#gemm}, shared by every implementation. */
    public static GemmDims gemm(String op, Tensor c, Tensor a, boolean transA, Tensor b, boolean transB) {
        dtype(op, c, a, b);
        rank2(op, "a", a);
        rank2(op, "b", b);
        rank2(op, "c", c);
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        long n = transB ? b.size(0) : b.size(1);
        if (k != kb) {
            throw new IllegalArgumentException(
                    op + ": inner dimensions differ: op(a) is " + m + "x" + k + ", op(b) is " + kb + "x" + n);
        }
        shape(op, "c", c, m, n);
        return new GemmDims(m, n, k);
    }

    /** Rows, input and output features of a linear layer call ({@code y[N,O] = x[N,C] @ w[O,C]^T}). */
    public record LinearDims(long n, long c, long o) {}

    /** The argument checks of {@link Kernels#linearForward}, shared by every implementation. */
    public static LinearDims linearForward(String op, Tensor y, Tensor x, Tensor w, Tensor bias) {
        dtype(op, y, x, w, bias);
        rank2(op, "x", x);
        rank2(op, "w", w);
        long n = x.size(0);
        long c = x.size(1);
        long o = w.size(0);
        shape(op, "w", w, o, c);
        shape(op, "y", y, n, o);
        length(op, "bias", bias, o);
        return new LinearDims(n, c, o);
    }

    /** The argument checks of {@link Kernels#linearBackward}, shared by every implementation. */
    public static LinearDims linearBackward(
            String op, Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w) {
        dtype(op, dx, dw, dbias, dy, x, w);
        long n = dy.size(0);
        long o = dy.size(1);
        long c = w.size(1);
        shape(op, "w", w, o, c);
        shape(op, "x", x, n, c);
        shape(op, "dx", dx, n, c);
        shape(op, "dw", dw, o, c);
        length(op, "dbias", dbias, o);
        return new LinearDims(n, c, o);
    }

    // ---------------------------------------------------------------- elementwise

    /** {@link Kernels#add}: a and b have out's element count. */
    public static void add(String op, Tensor out, Tensor a, Tensor b) {
        dtype(op, out, a, b);
        length(op, "a", a, out.length());
        length(op, "b", b, out.length());
    }

    /** {@link Kernels#scale} and {@link Kernels#copy}: the input {@code name} has out's element count. */
    public static void sameLength(String op, Tensor out, String name, Tensor x) {
        dtype(op, out, x);
        length(op, name, x, out.length());
    }

    /** {@link Kernels#activationForward}. */
    public static void activationForward(String op, Tensor out, Tensor x) {
        dtype(op, out, x);
        length(op, "out", out, x.length());
    }

    /** {@link Kernels#activationBackward}: dx and dout have x's element count. */
    public static void activationBackward(String op, Tensor dx, Tensor dout, Tensor x) {
        dtype(op, dx, dout, x);
        length(op, "dx", dx, x.length());
        length(op, "dout", dout, x.length());
    }

    /** {@link Kernels#swigluForward}: h and up have gate's element count. */
    public static void swigluForward(String op, Tensor h, Tensor gate, Tensor up) {
        dtype(op, h, gate, up);
        length(op, "h", h, gate.length());
        length(op, "up", up, gate.length());
    }

    /** {@link Kernels#swigluBackward}: every array has gate's element count (dgate, dup may be null). */
    public static void swigluBackward(String op, Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        dtype(op, dgate, dup, dh, gate, up);
        long len = gate.length();
        length(op, "dgate", dgate, len);
        length(op, "dup", dup, len);
        length(op, "dh", dh, len);
        length(op, "up", up, len);
    }

    // ---------------------------------------------------------------- normalisation

    /** {@link Kernels#layerNormForward}: x is [N, C]; y like x; mean, rstd [N]; gamma, beta [C] (may be null). */
    public static void layerNormForward(
            String op, Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor gamma, Tensor beta) {
        dtype(op, y, mean, rstd, x, gamma, beta);
        normRows(op, "y", y, rstd, x, gamma);
        length(op, "mean", mean, x.size(0));
        length(op, "beta", beta, x.size(1));
    }

    /** {@link Kernels#layerNormBackward}: as the forward, with dy, dx like x and dgamma, dbeta [C]. */
    public static void layerNormBackward(
            String op,
            Tensor dx,
            Tensor dgamma,
            Tensor dbeta,
            Tensor dy,
            Tensor x,
            Tensor mean,
            Tensor rstd,
            Tensor gamma) {
        dtype(op, dx, dgamma, dbeta, dy, x, mean, rstd, gamma);
        normRows(op, "dy", dy, rstd, x, gamma);
        sameShape(op, "dx", dx, "x", x);
        length(op, "mean", mean, x.size(0));
        length(op, "dgamma", dgamma, x.size(1));
        length(op, "dbeta", dbeta, x.size(1));
    }

    /** {@link Kernels#rmsNormForward}: x is [N, C]; y like x; rstd [N]; gamma [C] (may be null). */
    public static void rmsNormForward(String op, Tensor y, Tensor rstd, Tensor x, Tensor gamma) {
        dtype(op, y, rstd, x, gamma);
        normRows(op, "y", y, rstd, x, gamma);
    }

    /** {@link Kernels#rmsNormBackward}: as the forward, with dy, dx like x and dgamma [C]. */
    public static void rmsNormBackward(
            String op, Tensor dx, Tensor dgamma, Tensor dy, Tensor x, Tensor rstd, Tensor gamma) {
        dtype(op, dx, dgamma, dy, x, rstd, gamma);
        normRows(op, "dy", dy, rstd, x, gamma);
        sameShape(op, "dx", dx, "x", x);
        length(op, "dgamma", dgamma, x.size(1));
    }

    /** What both norms require: x 2-D, {@code rows} like x, rstd one per row of x, gamma one per column. */
    private static void normRows(String op, String rowsName, Tensor rows, Tensor rstd, Tensor x, Tensor gamma) {
        rank2(op, "x", x);
        sameShape(op, rowsName, rows, "x", x);
        length(op, "rstd", rstd, x.size(0));
        length(op, "gamma", gamma, x.size(1));
    }

    // ---------------------------------------------------------------- attention

    /** {@link Kernels#rope}: x is [B*T, heads*D] with D even; cos, sin are alike, [>= T, D]. */
    public static void rope(Tensor x, Tensor cos, Tensor sin, int batch, int seq, int heads, int headDim) {
        String op = "rope";
        dtype(op, x, cos, sin);
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rope: head dim must be even, got " + headDim);
        }
        shape(op, "x", x, (long) batch * seq, (long) heads * headDim);
        rank2(op, "cos", cos);
        sameShape(op, "cos", cos, "sin", sin);
        if (cos.size(1) != headDim || cos.size(0) < seq) {
            throw new IllegalArgumentException("rope: cos/sin tables are " + Arrays.toString(cos.shape())
                    + ", need at least [" + seq + ", " + headDim + "]");
        }
    }

    /** {@link Kernels#attentionForward}; returns the arrays' data type. */
    public static DType attentionForward(
            String op, Tensor out, Tensor probs, Tensor q, Tensor k, Tensor v, AttentionShape s) {
        DType type = dtype(op, out, probs, q, k, v);
        attentionArrays(op, out, probs, q, k, v, s);
        return type;
    }

    /** {@link Kernels#attentionBackward}: as the forward, with dq, dk, dv (may be null) like q, k, v. */
    public static DType attentionBackward(
            String op,
            Tensor dq,
            Tensor dk,
            Tensor dv,
            Tensor dout,
            Tensor probs,
            Tensor q,
            Tensor k,
            Tensor v,
            AttentionShape s) {
        DType type = dtype(op, dq, dk, dv, dout, probs, q, k, v);
        attentionArrays(op, dout, probs, q, k, v, s);
        sameShape(op, "dq", dq, "q", q);
        sameShape(op, "dk", dk, "k", k);
        sameShape(op, "dv", dv, "v", v);
        return type;
    }

    /** q, out [B*T, H*D]; k, v [B*T, Hkv*D]; probs [B, H, T, T] (any shape with that many elements) or null. */
    private static void attentionArrays(
            String op, Tensor out, Tensor probs, Tensor q, Tensor k, Tensor v, AttentionShape s) {
        long rows = (long) s.batch() * s.seq();
        long qw = s.queryWidth();
        long kw = s.kvWidth();
        shape(op, "q", q, rows, qw);
        shape(op, "out/dout", out, rows, qw);
        shape(op, "k", k, rows, kw);
        shape(op, "v", v, rows, kw);
        length(op, "probs", probs, (long) s.batch() * s.heads() * s.seq() * s.seq());
    }

    /** {@link Kernels#attentionDecode}: q, out [B*n, H*D]; caches alike, [blocks*capacity, Hkv*D]. */
    public static DType attentionDecode(String op, Tensor out, Tensor q, Tensor kCache, Tensor vCache, DecodeShape s) {
        DType type = dtype(op, out, q, kCache, vCache);
        long rows = (long) s.batch() * s.newTokens();
        long qw = s.queryWidth();
        long kw = s.kvWidth();
        shape(op, "q", q, rows, qw);
        shape(op, "out", out, rows, qw);
        if (kCache.rank() != 2
                || kCache.size(1) != kw
                || kCache.size(0) % s.capacity() != 0
                || kCache.size(0) < (long) s.blocks() * s.capacity()) {
            throw new IllegalArgumentException(op + ": kCache is " + Arrays.toString(kCache.shape())
                    + "; expected [blocks*" + s.capacity() + ", " + kw + "] with at least " + s.blocks() + " blocks");
        }
        sameShape(op, "kCache", kCache, "vCache", vCache);
        return type;
    }

    // ---------------------------------------------------------------- embeddings and loss

    /**
     * {@link Kernels#embeddingForward} and {@link Kernels#embeddingBackward}: the table (or its gradient) is
     * [V, C], the rows (or their gradient) [ids, C]; ids are below V, negative ones skip their row.
     */
    public static void embedding(String op, String tableName, Tensor table, String rowsName, Tensor rows, int[] ids) {
        dtype(op, table, rows);
        rank2(op, tableName, table);
        shape(op, rowsName, rows, ids.length, table.size(1));
        ids(op, ids, ids.length, table.size(0), true);
    }

    /** {@link Kernels#crossEntropy}: logits [N, V], dlogits alike or null, one target per row in [0, V) or ignored. */
    public static void crossEntropy(String op, Tensor dlogits, Tensor logits, int[] targets, int ignoreIndex) {
        dtype(op, dlogits, logits);
        rank2(op, "logits", logits);
        sameShape(op, "dlogits", dlogits, "logits", logits);
        long rows = logits.size(0);
        long vocab = logits.size(1);
        if (targets.length != rows) {
            throw new IllegalArgumentException(op + ": " + targets.length + " targets for " + rows + " logit rows");
        }
        for (int n = 0; n < targets.length; n++) {
            int t = targets[n];
            if (t != ignoreIndex && (t < 0 || t >= vocab)) {
                throw new IllegalArgumentException(op + ": target " + t + " at row " + n + " outside [0, " + vocab
                        + ") and not the ignore index " + ignoreIndex);
            }
        }
    }

    // ---------------------------------------------------------------- vision

    /** {@link Kernels#patchify}: images [B, C, H, W] with H, W multiples of s; patches [B*P, C*s*s]. */
    public static void patchify(String op, Tensor patches, Tensor images, int s) {
        dtype(op, patches, images);
        if (images.rank() != 4) {
            throw new IllegalArgumentException(
                    op + ": images must be [B, C, H, W], got " + Arrays.toString(images.shape()));
        }
        long h = images.size(2);
        long w = images.size(3);
        if (s < 1 || h % s != 0 || w % s != 0) {
            throw new IllegalArgumentException(op + ": image " + h + "x" + w + " is not a multiple of patch size " + s);
        }
        shape(op, "patches", patches, images.size(0) * (h / s) * (w / s), images.size(1) * s * s);
    }
}
