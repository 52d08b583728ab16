package io.share4v.tensor.ops;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;

/**
 * The reference implementation and the {@code java} backend's kernels: plain loops computing in double over
 * host tensors (any {@link io.share4v.tensor.HostStorage}: direct buffers, no native library, or the {@code nd4j}
 * backend's native memory), written to be obviously right rather than fast (llm.c's CPU loops). Every optimised {@link Kernels} is tested against
 * it; it also runs the DOUBLE finite-difference checks. Math follows PyTorch/HF exactly (see each method).
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        String op = "gemm";
        Checks.GemmDims dims = Checks.gemm(op, c, a, transA, b, transB);
        long m = dims.m();
        long n = dims.n();
        long k = dims.k();
        Vec va = Vec.of(op, "a", a);
        Vec vb = Vec.of(op, "b", b);
        Vec vc = Vec.of(op, "c", c);
        long lda = a.size(1);
        long ldb = b.size(1);
        for (long i = 0; i < m; i++) {
            for (long j = 0; j < n; j++) {
                double sum = 0;
                for (long p = 0; p < k; p++) {
                    double av = transA ? va.get(p * lda + i) : va.get(i * lda + p);
                    double bv = transB ? vb.get(j * ldb + p) : vb.get(p * ldb + j);
                    sum += av * bv;
                }
                // BLAS semantics: beta == 0 ignores c's old contents (even NaN)
                double old = beta == 0f ? 0.0 : beta * vc.get(i * n + j);
                vc.set(i * n + j, alpha * sum + old);
            }
        }
    }

    @Override
    public void linearForward(Tensor y, Tensor x, Tensor w, Tensor bias) {
        String op = "linearForward";
        Checks.LinearDims dims = Checks.linearForward(op, y, x, w, bias);
        long n = dims.n();
        long c = dims.c();
        long o = dims.o();
        Vec vy = Vec.of(op, "y", y);
        Vec vx = Vec.of(op, "x", x);
        Vec vw = Vec.of(op, "w", w);
        Vec vb = Vec.of(op, "bias", bias);
        for (long r = 0; r < n; r++) {
            for (long j = 0; j < o; j++) {
                double sum = vb == null ? 0.0 : vb.get(j);
                for (long i = 0; i < c; i++) {
                    sum += vx.get(r * c + i) * vw.get(j * c + i);
                }
                vy.set(r * o + j, sum);
            }
        }
    }

    @Override
    public void linearBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w) {
        String op = "linearBackward";
        Checks.LinearDims dims = Checks.linearBackward(op, dx, dw, dbias, dy, x, w);
        long n = dims.n();
        long c = dims.c();
        long o = dims.o();
        Vec vdy = Vec.of(op, "dy", dy);
        Vec vw = Vec.of(op, "w", w);
        if (dx != null) {
            Vec vdx = Vec.of(op, "dx", dx);
            for (long r = 0; r < n; r++) {
                for (long i = 0; i < c; i++) {
                    double sum = 0;
                    for (long j = 0; j < o; j++) {
                        sum += vdy.get(r * o + j) * vw.get(j * c + i);
                    }
                    vdx.set(r * c + i, sum);
                }
            }
        }
        if (dw != null) {
            Vec vx = Vec.of(op, "x", x);
            Vec vdw = Vec.of(op, "dw", dw);
            for (long j = 0; j < o; j++) {
                for (long i = 0; i < c; i++) {
                    double sum = 0;
                    for (long r = 0; r < n; r++) {
                        sum += vdy.get(r * o + j) * vx.get(r * c + i);
                    }
                    vdw.add(j * c + i, sum);
                }
            }
        }
        if (dbias != null) {
            Vec vdb = Vec.of(op, "dbias", dbias);
            for (long j = 0; j < o; j++) {
                double sum = 0;
                for (long r = 0; r < n; r++) {
                    sum += vdy.get(r * o + j);
                }
                vdb.add(j, sum);
            }
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        String op = "add";
        Checks.add(op, out, a, b);
        long len = out.length();
        Vec vo = Vec.of(op, "out", out);
        Vec va = Vec.of(op, "a", a);
        Vec vb = Vec.of(op, "b", b);
        for (long i = 0; i < len; i++) {
            vo.set(i, va.get(i) + vb.get(i));
        }
    }

    @Override
    public void addInPlace(Tensor acc, Tensor x) {
        add(acc, acc, x);
    }

    @Override
    public void scale(Tensor out, Tensor x, double s) {
        String op = "scale";
        Checks.sameLength(op, out, "x", x);
        long len = out.length();
        double factor = out.dtype() == DType.FLOAT ? (float) s : s;
        Vec vo = Vec.of(op, "out", out);
        Vec vx = Vec.of(op, "x", x);
        for (long i = 0; i < len; i++) {
            vo.set(i, vx.get(i) * factor);
        }
    }

    @Override
    public void zero(Tensor x) {
        Checks.dtype("zero", x);
        Vec v = Vec.of("zero", "x", x);
        for (long i = 0, len = x.length(); i < len; i++) {
            v.set(i, 0.0);
        }
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        String op = "copy";
        Checks.sameLength(op, dst, "src", src);
        long len = dst.length();
        Vec vd = Vec.of(op, "dst", dst);
        Vec vs = Vec.of(op, "src", src);
        for (long i = 0; i < len; i++) {
            vd.set(i, vs.get(i));
        }
    }

    @Override
    public void activationForward(Tensor out, Tensor x, Activation f) {
        String op = "activationForward";
        Checks.activationForward(op, out, x);
        long len = x.length();
        Vec vo = Vec.of(op, "out", out);
        Vec vx = Vec.of(op, "x", x);
        for (long i = 0; i < len; i++) {
            vo.set(i, Pointwise.forward(f, vx.get(i)));
        }
    }

    @Override
    public void activationBackward(Tensor dx, Tensor dout, Tensor x, Activation f) {
        String op = "activationBackward";
        Checks.activationBackward(op, dx, dout, x);
        long len = x.length();
        Vec vdx = Vec.of(op, "dx", dx);
        Vec vdo = Vec.of(op, "dout", dout);
        Vec vx = Vec.of(op, "x", x);
        for (long i = 0; i < len; i++) {
            vdx.set(i, Pointwise.derivative(f, vx.get(i)) * vdo.get(i));
        }
    }

    @Override
    public void swigluForward(Tensor h, Tensor gate, Tensor up) {
        String op = "swigluForward";
        Checks.swigluForward(op, h, gate, up);
        long len = gate.length();
        Vec vh = Vec.of(op, "h", h);
        Vec vg = Vec.of(op, "gate", gate);
        Vec vu = Vec.of(op, "up", up);
        for (long i = 0; i < len; i++) {
            vh.set(i, Pointwise.forward(Activation.SILU, vg.get(i)) * vu.get(i));
        }
    }

    @Override
    public void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        String op = "swigluBackward";
        Checks.swigluBackward(op, dgate, dup, dh, gate, up);
        long len = gate.length();
        Vec vdg = Vec.of(op, "dgate", dgate);
        Vec vdu = Vec.of(op, "dup", dup);
        Vec vdh = Vec.of(op, "dh", dh);
        Vec vg = Vec.of(op, "gate", gate);
        Vec vu = Vec.of(op, "up", up);
        for (long i = 0; i < len; i++) {
            double g = vg.get(i);
            double u = vu.get(i);
            double d = vdh.get(i);
            if (vdg != null) {
                vdg.set(i, d * u * Pointwise.derivative(Activation.SILU, g));
            }
            if (vdu != null) {
                vdu.set(i, d * Pointwise.forward(Activation.SILU, g));
            }
        }
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void layerNormForward(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor gamma, Tensor beta, float eps) {
        String op = "layerNormForward";
        Checks.layerNormForward(op, y, mean, rstd, x, gamma, beta);
        long n = x.size(0);
        long c = x.size(1);
        Vec vy = Vec.of(op, "y", y);
        Vec vm = Vec.of(op, "mean", mean);
        Vec vr = Vec.of(op, "rstd", rstd);
        Vec vx = Vec.of(op, "x", x);
        Vec vg = Vec.of(op, "gamma", gamma);
        Vec vb = Vec.of(op, "beta", beta);
        for (long r = 0; r < n; r++) {
            long base = r * c;
            double m = 0;
            for (long i = 0; i < c; i++) {
                m += vx.get(base + i);
            }
            m /= c;
            double var = 0; // biased, as torch.nn.LayerNorm
            for (long i = 0; i < c; i++) {
                double d = vx.get(base + i) - m;
                var += d * d;
            }
            var /= c;
            double s = 1.0 / Math.sqrt(var + eps);
            for (long i = 0; i < c; i++) {
                double v = (vx.get(base + i) - m) * s;
                if (vg != null) {
                    v *= vg.get(i);
                }
                if (vb != null) {
                    v += vb.get(i);
                }
                vy.set(base + i, v);
            }
            if (vm != null) {
                vm.set(r, m);
            }
            vr.set(r, s);
        }
    }

    @Override
    public void layerNormBackward(
            Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd, Tensor gamma) {
        String op = "layerNormBackward";
        Checks.layerNormBackward(op, dx, dgamma, dbeta, dy, x, mean, rstd, gamma);
        long n = x.size(0);
        long c = x.size(1);
        Vec vdx = Vec.of(op, "dx", dx);
        Vec vdg = Vec.of(op, "dgamma", dgamma);
        Vec vdb = Vec.of(op, "dbeta", dbeta);
        Vec vdy = Vec.of(op, "dy", dy);
        Vec vx = Vec.of(op, "x", x);
        Vec vm = Vec.of(op, "mean", mean);
        Vec vr = Vec.of(op, "rstd", rstd);
        Vec vg = Vec.of(op, "gamma", gamma);
        for (long r = 0; r < n; r++) {
            long base = r * c;
            double m = vm.get(r);
            double s = vr.get(r);
            double meanDnorm = 0;
            double meanDnormNorm = 0;
            for (long i = 0; i < c; i++) {
                double norm = (vx.get(base + i) - m) * s;
                double dnorm = vdy.get(base + i) * (vg == null ? 1.0 : vg.get(i));
                meanDnorm += dnorm;
                meanDnormNorm += dnorm * norm;
            }
            meanDnorm /= c;
            meanDnormNorm /= c;
            for (long i = 0; i < c; i++) {
                double norm = (vx.get(base + i) - m) * s;
                double d = vdy.get(base + i);
                if (vdg != null) {
                    vdg.add(i, d * norm);
                }
                if (vdb != null) {
                    vdb.add(i, d);
                }
                if (vdx != null) {
                    double dnorm = d * (vg == null ? 1.0 : vg.get(i));
                    vdx.set(base + i, s * (dnorm - meanDnorm - norm * meanDnormNorm));
                }
            }
        }
    }

    @Override
    public void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor gamma, float eps) {
        String op = "rmsNormForward";
        Checks.rmsNormForward(op, y, rstd, x, gamma);
        long n = x.size(0);
        long c = x.size(1);
        Vec vy = Vec.of(op, "y", y);
        Vec vr = Vec.of(op, "rstd", rstd);
        Vec vx = Vec.of(op, "x", x);
        Vec vg = Vec.of(op, "gamma", gamma);
        for (long r = 0; r < n; r++) {
            long base = r * c;
            double ss = 0;
            for (long i = 0; i < c; i++) {
                double v = vx.get(base + i);
                ss += v * v;
            }
            double s = 1.0 / Math.sqrt(ss / c + eps);
            for (long i = 0; i < c; i++) {
                vy.set(base + i, vx.get(base + i) * s * (vg == null ? 1.0 : vg.get(i)));
            }
            vr.set(r, s);
        }
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dgamma, Tensor dy, Tensor x, Tensor rstd, Tensor gamma) {
        String op = "rmsNormBackward";
        Checks.rmsNormBackward(op, dx, dgamma, dy, x, rstd, gamma);
        long n = x.size(0);
        long c = x.size(1);
        Vec vdx = Vec.of(op, "dx", dx);
        Vec vdg = Vec.of(op, "dgamma", dgamma);
        Vec vdy = Vec.of(op, "dy", dy);
        Vec vx = Vec.of(op, "x", x);
        Vec vr = Vec.of(op, "rstd", rstd);
        Vec vg = Vec.of(op, "gamma", gamma);
        for (long r = 0; r < n; r++) {
            long base = r * c;
            double s = vr.get(r);
            double meanDnormNorm = 0;
            for (long i = 0; i < c; i++) {
                double norm = vx.get(base + i) * s;
                meanDnormNorm += vdy.get(base + i) * (vg == null ? 1.0 : vg.get(i)) * norm;
            }
            meanDnormNorm /= c;
            for (long i = 0; i < c; i++) {
                double norm = vx.get(base + i) * s;
                double d = vdy.get(base + i);
                if (vdg != null) {
                    vdg.add(i, d * norm);
                }
                if (vdx != null) {
                    double dnorm = d * (vg == null ? 1.0 : vg.get(i));
                    vdx.set(base + i, s * (dnorm - norm * meanDnormNorm));
                }
            }
        }
    }

    // ---------------------------------------------------------------- attention

    @Override
    public void rope(Tensor x, Tensor cos, Tensor sin, int batch, int seq, int heads, int headDim, boolean inverse) {
        String op = "rope";
        Checks.rope(x, cos, sin, batch, seq, heads, headDim);
        Vec vx = Vec.of(op, "x", x);
        Vec vc = Vec.of(op, "cos", cos);
        Vec vs = Vec.of(op, "sin", sin);
        int half = headDim / 2;
        long width = (long) heads * headDim;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                long row = ((long) b * seq + t) * width;
                long tab = (long) t * headDim;
                for (int h = 0; h < heads; h++) {
                    long base = row + (long) h * headDim;
                    for (int i = 0; i < half; i++) {
                        double x1 = vx.get(base + i);
                        double x2 = vx.get(base + i + half);
                        double c1 = vc.get(tab + i);
                        double c2 = vc.get(tab + i + half);
                        double s1 = vs.get(tab + i);
                        double s2 = vs.get(tab + i + half);
                        if (!inverse) { // x*cos + rotate_half(x)*sin, rotate_half = cat(-x2, x1)
                            vx.set(base + i, x1 * c1 - x2 * s1);
                            vx.set(base + i + half, x2 * c2 + x1 * s2);
                        } else { // the transpose of the map above
                            vx.set(base + i, x1 * c1 + x2 * s2);
                            vx.set(base + i + half, x2 * c2 - x1 * s1);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void attentionForward(Tensor out, Tensor probs, Tensor q, Tensor k, Tensor v, AttentionShape s) {
        String op = "attentionForward";
        Checks.attentionForward(op, out, probs, q, k, v, s);
        Vec vo = Vec.of(op, "out", out);
        Vec vq = Vec.of(op, "q", q);
        Vec vk = Vec.of(op, "k", k);
        Vec vv = Vec.of(op, "v", v);
        Vec vp = Vec.of(op, "probs", probs);
        int t = s.seq();
        int d = s.headDim();
        long qw = s.queryWidth();
        long kw = s.kvWidth();
        int group = s.group();
        double[] p = new double[t];
        boolean[] keyFlags = s.mask().keyFlags(); // null: no single key hidden
        for (int b = 0; b < s.batch(); b++) {
            int valid = s.mask().keyEnd(b, t);
            for (int h = 0; h < s.heads(); h++) {
                int g = h / group;
                for (int i = 0; i < t; i++) {
                    long qrow = ((long) b * t + i) * qw + (long) h * d;
                    long kb = (long) b * t;
                    softmaxRow(p, i, valid, s.causal(), t, keyFlags, b * t, j -> {
                        long krow = (kb + j) * kw + (long) g * d;
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += vq.get(qrow + e) * vk.get(krow + e);
                        }
                        return dot * s.scale();
                    });
                    if (vp != null) {
                        long prow = (((long) b * s.heads() + h) * t + i) * t;
                        for (int j = 0; j < t; j++) {
                            vp.set(prow + j, p[j]);
                        }
                    }
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < t; j++) {
                            if (p[j] != 0) {
                                acc += p[j] * vv.get(((long) b * t + j) * kw + (long) g * d + e);
                            }
                        }
                        vo.set(qrow + e, acc);
                    }
                }
            }
        }
    }

    @Override
    public void attentionBackward(
            Tensor dq,
            Tensor dk,
            Tensor dv,
            Tensor dout,
            Tensor probs,
            Tensor q,
            Tensor k,
            Tensor v,
            AttentionShape s) {
        String op = "attentionBackward";
        Checks.attentionBackward(op, dq, dk, dv, dout, probs, q, k, v, s);
        Vec vdq = Vec.of(op, "dq", dq);
        Vec vdk = Vec.of(op, "dk", dk);
        Vec vdv = Vec.of(op, "dv", dv);
        Vec vdo = Vec.of(op, "dout", dout);
        Vec vq = Vec.of(op, "q", q);
        Vec vk = Vec.of(op, "k", k);
        Vec vv = Vec.of(op, "v", v);
        int t = s.seq();
        int d = s.headDim();
        long qw = s.queryWidth();
        long kw = s.kvWidth();
        int group = s.group();
        if (vdk != null) {
            for (long i = 0, n = k.length(); i < n; i++) {
                vdk.set(i, 0.0);
            }
        }
        if (vdv != null) {
            for (long i = 0, n = v.length(); i < n; i++) {
                vdv.set(i, 0.0);
            }
        }
        double[] p = new double[t];
        boolean[] keyFlags = s.mask().keyFlags(); // null: no single key hidden
        double[] dp = new double[t];
        for (int b = 0; b < s.batch(); b++) {
            int valid = s.mask().keyEnd(b, t);
            for (int h = 0; h < s.heads(); h++) {
                int g = h / group;
                for (int i = 0; i < t; i++) {
                    long qrow = ((long) b * t + i) * qw + (long) h * d;
                    // recomputed rather than read from probs, so the oracle's backward checks the saved probs' math too
                    long kb = (long) b * t;
                    boolean anyVisible = softmaxRow(p, i, valid, s.causal(), t, keyFlags, b * t, j -> {
                        long krow = (kb + j) * kw + (long) g * d;
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += vq.get(qrow + e) * vk.get(krow + e);
                        }
                        return dot * s.scale();
                    });
                    double rowDot = 0;
                    for (int j = 0; j < t; j++) {
                        long vrow = ((long) b * t + j) * kw + (long) g * d;
                        double acc = 0;
                        for (int e = 0; e < d; e++) {
                            double go = vdo.get(qrow + e);
                            acc += go * vv.get(vrow + e);
                            if (vdv != null && p[j] != 0) {
                                vdv.add(vrow + e, p[j] * go);
                            }
                        }
                        dp[j] = acc;
                        rowDot += p[j] * acc;
                    }
                    if (!anyVisible) {
                        // a row with no visible key has constant (uniform) probabilities: no gradient to q or k
                        if (vdq != null) {
                            for (int e = 0; e < d; e++) {
                                vdq.set(qrow + e, 0.0);
                            }
                        }
                        continue;
                    }
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < t; j++) {
                            if (p[j] != 0) {
                                double ds = p[j] * (dp[j] - rowDot) * s.scale();
                                long krow = ((long) b * t + j) * kw + (long) g * d;
                                acc += ds * vk.get(krow + e);
                                if (vdk != null) {
                                    vdk.add(krow + e, ds * vq.get(qrow + e));
                                }
                            }
                        }
                        if (vdq != null) {
                            vdq.set(qrow + e, acc);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void attentionDecode(Tensor out, Tensor q, Tensor kCache, Tensor vCache, DecodeShape s) {
        String op = "attentionDecode";
        Checks.attentionDecode(op, out, q, kCache, vCache, s);
        Vec vo = Vec.of(op, "out", out);
        Vec vq = Vec.of(op, "q", q);
        Vec vk = Vec.of(op, "kCache", kCache);
        Vec vv = Vec.of(op, "vCache", vCache);
        int n = s.newTokens();
        int d = s.headDim();
        long qw = s.queryWidth();
        long kw = s.kvWidth();
        int group = s.group();
        double[] p = new double[s.maxKeys()];
        for (int b = 0; b < s.batch(); b++) {
            long cacheBase = (long) s.slot(b) * s.capacity();
            int keys = s.keys(b);
            for (int h = 0; h < s.heads(); h++) {
                int g = h / group;
                for (int i = 0; i < n; i++) {
                    long qrow = ((long) b * n + i) * qw + (long) h * d;
                    softmaxRow(p, s.past(b) + i, keys, true, keys, null, 0, j -> {
                        long krow = (cacheBase + j) * kw + (long) g * d;
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += vq.get(qrow + e) * vk.get(krow + e);
                        }
                        return dot * s.scale();
                    });
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < keys; j++) {
                            if (p[j] != 0) {
                                acc += p[j] * vv.get((cacheBase + j) * kw + (long) g * d + e);
                            }
                        }
                        vo.set(qrow + e, acc);
                    }
                }
            }
        }
    }

    /** Score of key j for the current query row. */
    private interface Score {
        double at(int j);
    }

    /**
     * Softmax of query row i over keys [0, t); visible keys are [0, last) minus those with
     * {@code keyValid[keyOff + j] == false} (keyValid may be null). Returns false for a row with no visible key,
     * which gets uniform probabilities over all t keys (HF's dtype-min mask makes every score equal).
     */
    private static boolean softmaxRow(
            double[] p, int i, int valid, boolean causal, int t, boolean[] keyValid, int keyOff, Score score) {
        int last = Math.min(valid, causal ? i + 1 : t); // candidate keys are [0, last)
        double max = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (int j = 0; j < last; j++) {
            if (keyValid == null || keyValid[keyOff + j]) {
                p[j] = score.at(j);
                max = Math.max(max, p[j]);
                any = true;
            }
        }
        if (!any) {
            for (int j = 0; j < t; j++) {
                p[j] = 1.0 / t;
            }
            return false;
        }
        double sum = 0;
        for (int j = 0; j < last; j++) {
            if (keyValid == null || keyValid[keyOff + j]) {
                p[j] = Math.exp(p[j] - max);
                sum += p[j];
            } else {
                p[j] = 0;
            }
        }
        for (int j = 0; j < last; j++) {
            p[j] /= sum;
        }
        for (int j = last; j < t; j++) {
            p[j] = 0;
        }
        return true;
    }

    // ---------------------------------------------------------------- embeddings and loss

    @Override
    public void embeddingForward(Tensor out, Tensor table, int[] ids) {
        String op = "embeddingForward";
        Checks.embedding(op, "table", table, "out", out, ids);
        long c = table.size(1);
        Vec vo = Vec.of(op, "out", out);
        Vec vt = Vec.of(op, "table", table);
        for (int n = 0; n < ids.length; n++) {
            if (ids[n] < 0) {
                continue;
            }
            for (long i = 0; i < c; i++) {
                vo.set(n * c + i, vt.get(ids[n] * c + i));
            }
        }
    }

    @Override
    public void embeddingBackward(Tensor dtable, Tensor dout, int[] ids) {
        String op = "embeddingBackward";
        Checks.embedding(op, "dtable", dtable, "dout", dout, ids);
        long c = dtable.size(1);
        Vec vt = Vec.of(op, "dtable", dtable);
        Vec vo = Vec.of(op, "dout", dout);
        for (int n = 0; n < ids.length; n++) {
            if (ids[n] < 0) {
                continue;
            }
            for (long i = 0; i < c; i++) {
                vt.add(ids[n] * c + i, vo.get(n * c + i));
            }
        }
    }

    @Override
    public double crossEntropy(Tensor dlogits, Tensor logits, int[] targets, int ignoreIndex, float gradScale) {
        String op = "crossEntropy";
        Checks.crossEntropy(op, dlogits, logits, targets, ignoreIndex);
        long n = logits.size(0);
        long vocab = logits.size(1);
        Vec vl = Vec.of(op, "logits", logits);
        Vec vd = Vec.of(op, "dlogits", dlogits);
        double loss = 0;
        for (long r = 0; r < n; r++) {
            long base = r * vocab;
            int target = targets[(int) r];
            if (target == ignoreIndex) {
                if (vd != null) {
                    for (long i = 0; i < vocab; i++) {
                        vd.set(base + i, 0.0);
                    }
                }
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (long i = 0; i < vocab; i++) {
                max = Math.max(max, vl.get(base + i));
            }
            double sum = 0;
            for (long i = 0; i < vocab; i++) {
                sum += Math.exp(vl.get(base + i) - max);
            }
            double lse = max + Math.log(sum);
            loss += lse - vl.get(base + target);
            if (vd != null) {
                for (long i = 0; i < vocab; i++) {
                    double prob = Math.exp(vl.get(base + i) - lse);
                    vd.set(base + i, (prob - (i == target ? 1.0 : 0.0)) * gradScale);
                }
            }
        }
        return loss;
    }

    // ---------------------------------------------------------------- vision

    @Override
    public void patchify(Tensor patches, Tensor images, int patchSize) {
        String op = "patchify";
        Checks.patchify(op, patches, images, patchSize);
        permutePatches(Vec.of(op, "patches", patches), Vec.of(op, "images", images), images, patchSize, true);
    }

    @Override
    public void patchifyBackward(Tensor dimages, Tensor dpatches, int patchSize) {
        String op = "patchifyBackward";
        Checks.patchify(op, dpatches, dimages, patchSize);
        permutePatches(Vec.of(op, "dpatches", dpatches), Vec.of(op, "dimages", dimages), dimages, patchSize, false);
    }

    /**
     * The im2col permutation between {@code images[B, C, H, W]} and {@code patches[B*P, C*S*S]}: a bijection, so
     * its backward is the same walk copying the other way ({@code toPatches} false).
     */
    private static void permutePatches(Vec vp, Vec vi, Tensor images, int patchSize, boolean toPatches) {
        long bsz = images.size(0);
        long ch = images.size(1);
        long hgt = images.size(2);
        long wid = images.size(3);
        long gy = hgt / patchSize;
        long gx = wid / patchSize;
        long cols = ch * patchSize * patchSize;
        for (long b = 0; b < bsz; b++) {
            for (long py = 0; py < gy; py++) {
                for (long px = 0; px < gx; px++) {
                    long row = (b * gy * gx + py * gx + px) * cols;
                    for (long c = 0; c < ch; c++) {
                        for (long ky = 0; ky < patchSize; ky++) {
                            for (long kx = 0; kx < patchSize; kx++) {
                                long pixel = ((b * ch + c) * hgt + py * patchSize + ky) * wid + px * patchSize + kx;
                                long patch = row + (c * patchSize + ky) * patchSize + kx;
                                if (toPatches) {
                                    vp.set(patch, vi.get(pixel));
                                } else {
                                    vi.set(pixel, vp.get(patch));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
