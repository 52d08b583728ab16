package io.share4v.tensor.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model's {@link Kernels} on ND4J arrays, adapted to a {@link TensorKernels} implementation: each array
 * argument becomes a {@link io.share4v.tensor.Tensor} view of the same memory ({@link Nd4jStorage}, no copy) and
 * the call is delegated, so the model keeps running unchanged while the kernels work on tensors. Arrays that a
 * tensor cannot view (strided, not FLOAT or DOUBLE) are refused with a message naming the kernel and argument.
 * This class goes away when the model itself uses tensors.
 */
public final class ArrayKernels implements Kernels {
    private final TensorKernels impl;

    public ArrayKernels(TensorKernels impl) {
        this.impl = impl;
    }

    /** The tensor kernels this adapter delegates to. */
    public TensorKernels tensorKernels() {
        return impl;
    }

    @Override
    public String name() {
        return impl.name();
    }

    @Override
    public void gemm(INDArray c, INDArray a, boolean transA, INDArray b, boolean transB, float alpha, float beta) {
        String op = "gemm";
        impl.gemm(
                Nd4jStorage.tensor(op, "c", c),
                Nd4jStorage.tensor(op, "a", a),
                transA,
                Nd4jStorage.tensor(op, "b", b),
                transB,
                alpha,
                beta);
    }

    @Override
    public void linearForward(INDArray y, INDArray x, INDArray w, INDArray bias) {
        String op = "linearForward";
        impl.linearForward(
                Nd4jStorage.tensor(op, "y", y),
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "w", w),
                Nd4jStorage.tensor(op, "bias", bias));
    }

    @Override
    public void linearBackward(INDArray dx, INDArray dw, INDArray dbias, INDArray dy, INDArray x, INDArray w) {
        String op = "linearBackward";
        impl.linearBackward(
                Nd4jStorage.tensor(op, "dx", dx),
                Nd4jStorage.tensor(op, "dw", dw),
                Nd4jStorage.tensor(op, "dbias", dbias),
                Nd4jStorage.tensor(op, "dy", dy),
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "w", w));
    }

    @Override
    public void add(INDArray out, INDArray a, INDArray b) {
        String op = "add";
        impl.add(Nd4jStorage.tensor(op, "out", out), Nd4jStorage.tensor(op, "a", a), Nd4jStorage.tensor(op, "b", b));
    }

    @Override
    public void addInPlace(INDArray acc, INDArray x) {
        String op = "addInPlace";
        impl.addInPlace(Nd4jStorage.tensor(op, "acc", acc), Nd4jStorage.tensor(op, "x", x));
    }

    @Override
    public void scale(INDArray out, INDArray x, float s) {
        String op = "scale";
        impl.scale(Nd4jStorage.tensor(op, "out", out), Nd4jStorage.tensor(op, "x", x), s);
    }

    @Override
    public void zero(INDArray x) {
        String op = "zero";
        impl.zero(Nd4jStorage.tensor(op, "x", x));
    }

    @Override
    public void copy(INDArray dst, INDArray src) {
        String op = "copy";
        impl.copy(Nd4jStorage.tensor(op, "dst", dst), Nd4jStorage.tensor(op, "src", src));
    }

    @Override
    public void activationForward(INDArray out, INDArray x, Activation f) {
        String op = "activationForward";
        impl.activationForward(Nd4jStorage.tensor(op, "out", out), Nd4jStorage.tensor(op, "x", x), f);
    }

    @Override
    public void activationBackward(INDArray dx, INDArray dout, INDArray x, Activation f) {
        String op = "activationBackward";
        impl.activationBackward(
                Nd4jStorage.tensor(op, "dx", dx),
                Nd4jStorage.tensor(op, "dout", dout),
                Nd4jStorage.tensor(op, "x", x),
                f);
    }

    @Override
    public void swigluForward(INDArray h, INDArray gate, INDArray up) {
        String op = "swigluForward";
        impl.swigluForward(
                Nd4jStorage.tensor(op, "h", h), Nd4jStorage.tensor(op, "gate", gate), Nd4jStorage.tensor(op, "up", up));
    }

    @Override
    public void swigluBackward(INDArray dgate, INDArray dup, INDArray dh, INDArray gate, INDArray up) {
        String op = "swigluBackward";
        impl.swigluBackward(
                Nd4jStorage.tensor(op, "dgate", dgate),
                Nd4jStorage.tensor(op, "dup", dup),
                Nd4jStorage.tensor(op, "dh", dh),
                Nd4jStorage.tensor(op, "gate", gate),
                Nd4jStorage.tensor(op, "up", up));
    }

    @Override
    public void layerNormForward(
            INDArray y, INDArray mean, INDArray rstd, INDArray x, INDArray gamma, INDArray beta, float eps) {
        String op = "layerNormForward";
        impl.layerNormForward(
                Nd4jStorage.tensor(op, "y", y),
                Nd4jStorage.tensor(op, "mean", mean),
                Nd4jStorage.tensor(op, "rstd", rstd),
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "gamma", gamma),
                Nd4jStorage.tensor(op, "beta", beta),
                eps);
    }

    @Override
    public void layerNormBackward(
            INDArray dx,
            INDArray dgamma,
            INDArray dbeta,
            INDArray dy,
            INDArray x,
            INDArray mean,
            INDArray rstd,
            INDArray gamma) {
        String op = "layerNormBackward";
        impl.layerNormBackward(
                Nd4jStorage.tensor(op, "dx", dx),
                Nd4jStorage.tensor(op, "dgamma", dgamma),
                Nd4jStorage.tensor(op, "dbeta", dbeta),
                Nd4jStorage.tensor(op, "dy", dy),
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "mean", mean),
                Nd4jStorage.tensor(op, "rstd", rstd),
                Nd4jStorage.tensor(op, "gamma", gamma));
    }

    @Override
    public void rmsNormForward(INDArray y, INDArray rstd, INDArray x, INDArray gamma, float eps) {
        String op = "rmsNormForward";
        impl.rmsNormForward(
                Nd4jStorage.tensor(op, "y", y),
                Nd4jStorage.tensor(op, "rstd", rstd),
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "gamma", gamma),
                eps);
    }

    @Override
    public void rmsNormBackward(INDArray dx, INDArray dgamma, INDArray dy, INDArray x, INDArray rstd, INDArray gamma) {
        String op = "rmsNormBackward";
        impl.rmsNormBackward(
                Nd4jStorage.tensor(op, "dx", dx),
                Nd4jStorage.tensor(op, "dgamma", dgamma),
                Nd4jStorage.tensor(op, "dy", dy),
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "rstd", rstd),
                Nd4jStorage.tensor(op, "gamma", gamma));
    }

    @Override
    public void rope(
            INDArray x, INDArray cos, INDArray sin, int batch, int seq, int heads, int headDim, boolean inverse) {
        String op = "rope";
        impl.rope(
                Nd4jStorage.tensor(op, "x", x),
                Nd4jStorage.tensor(op, "cos", cos),
                Nd4jStorage.tensor(op, "sin", sin),
                batch,
                seq,
                heads,
                headDim,
                inverse);
    }

    @Override
    public void attentionForward(INDArray out, INDArray probs, INDArray q, INDArray k, INDArray v, AttentionShape s) {
        String op = "attentionForward";
        impl.attentionForward(
                Nd4jStorage.tensor(op, "out", out),
                Nd4jStorage.tensor(op, "probs", probs),
                Nd4jStorage.tensor(op, "q", q),
                Nd4jStorage.tensor(op, "k", k),
                Nd4jStorage.tensor(op, "v", v),
                s);
    }

    @Override
    public void attentionBackward(
            INDArray dq,
            INDArray dk,
            INDArray dv,
            INDArray dout,
            INDArray probs,
            INDArray q,
            INDArray k,
            INDArray v,
            AttentionShape s) {
        String op = "attentionBackward";
        impl.attentionBackward(
                Nd4jStorage.tensor(op, "dq", dq),
                Nd4jStorage.tensor(op, "dk", dk),
                Nd4jStorage.tensor(op, "dv", dv),
                Nd4jStorage.tensor(op, "dout", dout),
                Nd4jStorage.tensor(op, "probs", probs),
                Nd4jStorage.tensor(op, "q", q),
                Nd4jStorage.tensor(op, "k", k),
                Nd4jStorage.tensor(op, "v", v),
                s);
    }

    @Override
    public void attentionDecode(INDArray out, INDArray q, INDArray kCache, INDArray vCache, DecodeShape s) {
        String op = "attentionDecode";
        impl.attentionDecode(
                Nd4jStorage.tensor(op, "out", out),
                Nd4jStorage.tensor(op, "q", q),
                Nd4jStorage.tensor(op, "kCache", kCache),
                Nd4jStorage.tensor(op, "vCache", vCache),
                s);
    }

    @Override
    public void embeddingForward(INDArray out, INDArray table, int[] ids) {
        String op = "embeddingForward";
        impl.embeddingForward(Nd4jStorage.tensor(op, "out", out), Nd4jStorage.tensor(op, "table", table), ids);
    }

    @Override
    public void embeddingBackward(INDArray dtable, INDArray dout, int[] ids) {
        String op = "embeddingBackward";
        impl.embeddingBackward(Nd4jStorage.tensor(op, "dtable", dtable), Nd4jStorage.tensor(op, "dout", dout), ids);
    }

    @Override
    public double crossEntropy(INDArray dlogits, INDArray logits, int[] targets, int ignoreIndex, float gradScale) {
        String op = "crossEntropy";
        return impl.crossEntropy(
                Nd4jStorage.tensor(op, "dlogits", dlogits),
                Nd4jStorage.tensor(op, "logits", logits),
                targets,
                ignoreIndex,
                gradScale);
    }

    @Override
    public void patchify(INDArray patches, INDArray images, int patchSize) {
        String op = "patchify";
        impl.patchify(Nd4jStorage.tensor(op, "patches", patches), Nd4jStorage.tensor(op, "images", images), patchSize);
    }
}
