package io.share4v.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.LlamaConfig;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.MultimodalSplice;
import io.share4v.model.llava.SplicePlan;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.GradientCheck.Tolerance;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoder alone (text only): finite differences, recomputation and frozen tensors. */
class LlamaDecoderTest {
    // B=3 samples right-padded with pad id 0 to 7: valid lengths 7, 4, 2 (GQA, padding and a short sample).
    static final int[][] IDS = {
        {1, 5, 9, 13, 22, 31, 2},
        {1, 7, 8, 2, 0, 0, 0},
        {1, 3, 0, 0, 0, 0, 0}
    };
    static final int[][] LABELS = {
        {-100, -100, 9, 13, 22, 31, 2},
        {-100, 7, 8, 2, -100, -100, -100},
        {-100, 3, -100, -100, -100, -100, -100}
    };

    /** One decoder with its flat buffers, run like LlavaModel runs it but without images. */
    static final class Harness {
        final LlamaConfig cfg = TinyLlama.config();
        final ParamLayout layout = LlamaLayout.add(ParamLayout.builder(), cfg).build();
        final Tensor params;
        final Tensor grads;
        final LlamaParams p;
        final LlamaParams g;
        final LlamaActivations acts;
        final LlamaDecoder.Context ctx;
        final SplicePlan plan =
                SplicePlan.of(IDS, LABELS, 1, 0, TinyLlama.config().vocabSize());

        Harness(Backend backend, DType dt, boolean recompute, Predicate<String> trainable) {
            params = layout.allocate(backend, dt);
            grads = layout.allocate(backend, dt);
            TinyLlama.fill(layout, params, 42, 0.3);
            p = LlamaParams.of(layout, cfg, params);
            g = LlamaParams.of(layout, cfg, grads, trainable);
            acts = new LlamaActivations(cfg, 4, 8, recompute, backend, dt);
            ctx = new LlamaDecoder.Context(
                    cfg, backend.kernels(), new RopeTables(8, cfg.headDim(), cfg.ropeTheta(), backend, dt));
        }

        double forward() {
            acts.shape(plan.batch, plan.seq);
            MultimodalSplice.forward(acts.x[0], p.embedTokens, null, plan, ctx.kernels());
            LlamaDecoder.forward(acts, p, ctx, plan.attentionMask());
            return CausalLmLoss.forward(ctx.kernels(), acts.logits, plan).mean();
        }

        void backward() {
            CausalLmLoss.backward(ctx.kernels(), acts.logits, plan, 1.0, plan.supervisedTokens);
            boolean needInput = g.embedTokens != null;
            LlamaDecoder.backward(g, acts, p, ctx, plan.attentionMask(), needInput);
            MultimodalSplice.backward(g.embedTokens, null, acts.dres, plan, ctx.kernels());
        }
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void everyTensorMatchesFiniteDifferencesInDouble(String backend) {
        Harness h = new Harness(Backends.create(backend), DType.DOUBLE, false, n -> true);
        h.forward();
        h.backward();
        GradientCheck check = new GradientCheck(h::forward, 1e-5, Tolerance.relativePlusAbsolute(1e-6, 1e-9), 7);
        check.sampled(h.layout, h.params, h.grads, n -> true, 6);
        check.assertPassed();
        List<GradientCheck.Sample> worst = check.worst();
        assertEquals(h.layout.entries().size(), worst.size());
        worst.forEach(w -> System.out.printf("FD llama %-8s %-50s rel %.2e%n", backend, w.name(), w.rel()));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void recomputationGivesIdenticalGradients(String name) {
        Backend backend = Backends.create(name);
        Harness kept = new Harness(backend, DType.FLOAT, false, n -> true);
        Harness recomputed = new Harness(backend, DType.FLOAT, true, n -> true);
        assertEquals(kept.forward(), recomputed.forward(), 0.0);
        kept.backward();
        recomputed.backward();
        assertArrayEquals(Tensors.floats(kept.grads), Tensors.floats(recomputed.grads), 0f);
        long perLayer = kept.acts.perLayerBytes();
        assertEquals(kept.acts.bytes() - recomputed.acts.bytes(), (kept.cfg.numLayers() - 1) * perLayer);
        assertEquals(recomputed.acts.recomputeSavingsBytes(), (kept.cfg.numLayers() - 1) * perLayer);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void frozenTensorsGetNoGradientAndTrainableOnesAreUnchanged(String name) {
        Backend backend = Backends.create(name);
        // layer 1 and the head train; embeddings and layer 0 are frozen, so the backward stops above layer 0
        Predicate<String> top =
                n -> n.startsWith("model.layers.1.") || n.equals(LlamaLayout.NORM) || n.equals(LlamaLayout.LM_HEAD);
        Harness all = new Harness(backend, DType.DOUBLE, false, n -> true);
        Harness part = new Harness(backend, DType.DOUBLE, false, top);
        all.forward();
        part.forward();
        all.backward();
        part.backward();
        for (ParamLayout.Entry e : all.layout.entries()) {
            double[] ga = Tensors.doubles(all.layout.view(all.grads, e.name()));
            double[] gp = Tensors.doubles(part.layout.view(part.grads, e.name()));
            if (top.test(e.name())) {
                assertTrue(equalWithin(ga, gp, 1e-12), e.name() + " differs when lower tensors are frozen");
            } else {
                assertEquals(0.0, norm2(gp), 0.0, e.name() + " is frozen but got a gradient");
                assertTrue(norm2(ga) > 0, e.name() + " should have a gradient when trainable");
            }
        }
    }

    @Test
    void recomputationSavingsAtVicuna7bScale() {
        LlamaConfig vicuna = LlamaConfig.builder()
                .vocabSize(32000)
                .hiddenSize(4096)
                .intermediateSize(11008)
                .numLayers(32)
                .numHeads(32)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(4096)
                .padTokenId(0)
                .build();
        long perLayer = LlamaActivations.perLayerBytes(vicuna, 1, 2623, DType.FLOAT);
        System.out.printf(
                "Vicuna-7B, 1 x 2623 tokens, fp32: %.2f GB of activations per decoder layer; recomputation"
                        + " saves %.1f GB%n",
                perLayer / 1e9, 31 * perLayer / 1e9);
        // N*(7C + 3F + 2) + H*T^2 elements (ln1, q, k, v, att, mid, ln2; gate, up, h; two rstd; probs)
        long n = 2623;
        assertEquals((n * (7 * 4096 + 3 * 11008 + 2) + 32L * n * n) * 4, perLayer);
    }

    /** Elementwise {@code |a - b| <= eps}, or within {@code eps} relative to the larger magnitude. */
    private static boolean equalWithin(double[] a, double[] b, double eps) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - b[i]);
            if (diff > eps && diff > Math.max(Math.abs(a[i]), Math.abs(b[i])) * eps) {
                return false;
            }
        }
        return true;
    }

    private static double norm2(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
