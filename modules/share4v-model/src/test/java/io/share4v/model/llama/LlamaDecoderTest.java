package io.share4v.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.LlamaConfig;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.MultimodalSplice;
import io.share4v.model.llava.SplicePlan;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.GradientCheck.Tolerance;
import io.share4v.tensor.testing.HostKernels;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        final INDArray params;
        final INDArray grads;
        final LlamaParams p;
        final LlamaParams g;
        final LlamaActivations acts;
        final LlamaDecoder.Context ctx;
        final SplicePlan plan =
                SplicePlan.of(IDS, LABELS, 1, 0, TinyLlama.config().vocabSize());

        Harness(Kernels k, DataType dt, boolean recompute, Predicate<String> trainable) {
            params = Nd4j.zeros(dt, layout.totalSize());
            grads = Nd4j.zeros(dt, layout.totalSize());
            TinyLlama.fill(layout, params, 42, 0.3);
            p = LlamaParams.of(layout, cfg, params);
            g = LlamaParams.of(layout, cfg, grads, trainable);
            acts = new LlamaActivations(cfg, 4, 8, recompute, dt);
            ctx = new LlamaDecoder.Context(cfg, k, new RopeTables(8, cfg.headDim(), cfg.ropeTheta(), dt));
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
    @MethodSource(HostKernels.ALL)
    void everyTensorMatchesFiniteDifferencesInDouble(String kernels) {
        Harness h = new Harness(Kernels.create(kernels), DataType.DOUBLE, false, n -> true);
        h.forward();
        h.backward();
        GradientCheck check = new GradientCheck(h::forward, 1e-5, Tolerance.relativePlusAbsolute(1e-6, 1e-9), 7);
        check.sampled(h.layout, h.params, h.grads, n -> true, 6);
        check.assertPassed();
        List<GradientCheck.Sample> worst = check.worst();
        assertEquals(h.layout.entries().size(), worst.size());
        worst.forEach(w -> System.out.printf("FD llama %-8s %-50s rel %.2e%n", kernels, w.name(), w.rel()));
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void recomputationGivesIdenticalGradients(String kernels) {
        Kernels k = Kernels.create(kernels);
        Harness kept = new Harness(k, DataType.FLOAT, false, n -> true);
        Harness recomputed = new Harness(k, DataType.FLOAT, true, n -> true);
        assertEquals(kept.forward(), recomputed.forward(), 0.0);
        kept.backward();
        recomputed.backward();
        assertArrayEquals(kept.grads.toFloatVector(), recomputed.grads.toFloatVector(), 0f);
        long perLayer = kept.acts.perLayerBytes();
        assertEquals(kept.acts.bytes() - recomputed.acts.bytes(), (kept.cfg.numLayers() - 1) * perLayer);
        assertEquals(recomputed.acts.recomputeSavingsBytes(), (kept.cfg.numLayers() - 1) * perLayer);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void frozenTensorsGetNoGradientAndTrainableOnesAreUnchanged(String kernels) {
        Kernels k = Kernels.create(kernels);
        // layer 1 and the head train; embeddings and layer 0 are frozen, so the backward stops above layer 0
        Predicate<String> top =
                n -> n.startsWith("model.layers.1.") || n.equals(LlamaLayout.NORM) || n.equals(LlamaLayout.LM_HEAD);
        Harness all = new Harness(k, DataType.DOUBLE, false, n -> true);
        Harness part = new Harness(k, DataType.DOUBLE, false, top);
        all.forward();
        part.forward();
        all.backward();
        part.backward();
        for (ParamLayout.Entry e : all.layout.entries()) {
            INDArray ga = all.layout.view(all.grads, e.name());
            INDArray gp = part.layout.view(part.grads, e.name());
            if (top.test(e.name())) {
                assertTrue(ga.equalsWithEps(gp, 1e-12), e.name() + " differs when lower tensors are frozen");
            } else {
                assertEquals(0.0, gp.norm2Number().doubleValue(), 0.0, e.name() + " is frozen but got a gradient");
                assertTrue(ga.norm2Number().doubleValue() > 0, e.name() + " should have a gradient when trainable");
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
        long perLayer = LlamaActivations.perLayerBytes(vicuna, 1, 2623, DataType.FLOAT);
        System.out.printf(
                "Vicuna-7B, 1 x 2623 tokens, fp32: %.2f GB of activations per decoder layer; recomputation"
                        + " saves %.1f GB%n",
                perLayer / 1e9, 31 * perLayer / 1e9);
        // N*(7C + 3F + 2) + H*T^2 elements (ln1, q, k, v, att, mid, ln2; gate, up, h; two rstd; probs)
        long n = 2623;
        assertEquals((n * (7 * 4096 + 3 * 11008 + 2) + 32L * n * n) * 4, perLayer);
    }
}
