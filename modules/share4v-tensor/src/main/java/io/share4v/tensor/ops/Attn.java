package io.share4v.tensor.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape checks of the attention, RoPE, loss and patch kernels, shared by every implementation. */
final class Attn {
    private Attn() {
    }

    /** q, out [B*T, H*D]; k, v [B*T, Hkv*D]; probs [B, H, T, T] (any shape with that many elements) or null. */
    static void check(String op, INDArray out, INDArray probs, INDArray q, INDArray k, INDArray v, AttentionShape s) {
        long rows = (long) s.batch() * s.seq();
        long qw = (long) s.heads() * s.headDim();
        long kw = (long) s.kvHeads() * s.headDim();
        Checks.shape(op, "q", q, rows, qw);
        Checks.shape(op, "out/dout", out, rows, qw);
        Checks.shape(op, "k", k, rows, kw);
        Checks.shape(op, "v", v, rows, kw);
        Checks.length(op, "probs", probs, (long) s.batch() * s.heads() * s.seq() * s.seq());
        if (s.validLength() != null) {
            for (int b = 0; b < s.batch(); b++) {
                int len = s.validLength()[b];
                if (len < 0 || len > s.seq()) {
                    throw new IllegalArgumentException(op + ": validLength[" + b + "] = " + len + " outside [0, "
                            + s.seq() + "]");
                }
            }
        }
    }

    /** q, out [B*n, H*D]; caches [B*capacity, Hkv*D]. */
    static void checkDecode(String op, INDArray out, INDArray q, INDArray kCache, INDArray vCache, DecodeShape s) {
        long rows = (long) s.batch() * s.newTokens();
        long qw = (long) s.heads() * s.headDim();
        long kw = (long) s.kvHeads() * s.headDim();
        Checks.shape(op, "q", q, rows, qw);
        Checks.shape(op, "out", out, rows, qw);
        if (kCache.rank() != 2 || kCache.size(1) != kw || kCache.size(0) % s.capacity() != 0
                || kCache.size(0) < (long) s.blocks() * s.capacity()) {
            throw new IllegalArgumentException(op + ": kCache is " + java.util.Arrays.toString(kCache.shape())
                    + "; expected [blocks*" + s.capacity() + ", " + kw + "] with at least " + s.blocks() + " blocks");
        }
        Checks.sameShape(op, "kCache", kCache, "vCache", vCache);
    }

    static void checkRope(INDArray x, INDArray cos, INDArray sin, int batch, int seq, int heads, int headDim) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rope: head dim must be even, got " + headDim);
        }
        Checks.shape("rope", "x", x, (long) batch * seq, (long) heads * headDim);
        Checks.rank2("rope", "cos", cos);
        Checks.sameShape("rope", "cos", cos, "sin", sin);
        if (cos.size(1) != headDim || cos.size(0) < seq) {
            throw new IllegalArgumentException("rope: cos/sin tables are " + Arrays.toString(cos.shape())
                    + ", need at least [" + seq + ", " + headDim + "]");
        }
    }

    static void checkTargets(String op, int[] targets, long rows, long vocab, int ignoreIndex) {
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

    static void checkPatchify(INDArray patches, INDArray images, int s) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException("patchify: images must be [B, C, H, W], got "
                    + Arrays.toString(images.shape()));
        }
        long h = images.size(2);
        long w = images.size(3);
        if (s < 1 || h % s != 0 || w % s != 0) {
            throw new IllegalArgumentException("patchify: image " + h + "x" + w + " is not a multiple of patch size " + s);
        }
        Checks.shape("patchify", "patches", patches, images.size(0) * (h / s) * (w / s), images.size(1) * s * s);
    }
}
