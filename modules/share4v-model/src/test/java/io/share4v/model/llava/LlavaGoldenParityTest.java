package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.GoldenTiny;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole model against the PyTorch reference (golden/tiny, make_llava_golden.py), everything trainable:
 * the splice (valid lengths, labels, inputs_embeds), logits at every position (padding included), the loss, the
 * gradient at the spliced embeddings and at the projected image features, and every parameter gradient.
 * Activation error = max |ours - golden| / max |golden|; gradient error = ||ours - golden|| / ||golden|| per tensor.
 */
class LlavaGoldenParityTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean recompute : new boolean[] {false, true}) {
            out.add(Arguments.of("fp32", recompute, 1e-5, 1e-4));
            out.add(Arguments.of("fp64", recompute, 1e-10, 1e-10));
        }
        return HostBackends.each(out);
    }

    @ParameterizedTest(name = "{0} {1} recompute={2}")
    @MethodSource("cases")
    void matchesPyTorch(String backendName, String precision, boolean recompute, double actTol, double gradTol) {
        DType dt = precision.equals("fp64") ? DType.DOUBLE : DType.FLOAT;
        Backend backend = Backends.create(backendName);
        LlavaModel m = new LlavaModel(
                GoldenLlavaConfig.config(), new LlavaModel.Options(3, 24, 2, recompute, dt, Trainable.all()), backend);
        GoldenTiny.loadWeights(m);
        Golden d = GoldenTiny.FIXTURES.sub(precision);

        LlavaModel.Output out = m.forward(GoldenTiny.batch(backend, dt));
        SplicePlan plan = out.plan();
        assertArrayEquals(new int[] {22, 8, 15}, plan.validLength);
        assertEquals(13, out.loss().tokens());
        int[][] splicedLabels = GoldenTiny.FIXTURES.intRows("spliced/labels.npy");
        for (int b = 0; b < plan.batch; b++) {
            for (int t = 0; t + 1 < plan.seq; t++) {
                assertEquals(splicedLabels[b][t + 1], plan.targets[b * plan.seq + t], "target " + b + "," + t);
            }
        }
        Golden.Difference emb =
                Golden.maxRel("inputs_embeds", m.llmActivations().x[0], d.tensor("inputs_embeds.npy", backend, dt));
        Golden.Difference logits = Golden.maxRel("logits", out.logits(), d.tensor("logits.npy", backend, dt));
        double goldenLoss = d.scalar("loss.npy");
        double lossErr = Math.abs(out.loss().mean() - goldenLoss) / Math.abs(goldenLoss);
        System.out.printf(
                "parity %s %s recompute=%s: inputs_embeds %.2e logits %.2e loss %.2e (ours %.10f golden %.10f)%n",
                backendName,
                precision,
                recompute,
                emb.error(),
                logits.error(),
                lossErr,
                out.loss().mean(),
                goldenLoss);
        emb.assertAtMost(actTol);
        logits.assertAtMost(actTol);
        assertTrue(lossErr <= actTol, "loss " + lossErr);

        m.zeroGrad();
        m.backward();
        Golden.Difference dEmb = Golden.normRel(
                "d_inputs_embeds", m.llmActivations().dres, d.tensor("d_inputs_embeds.npy", backend, dt));
        // golden d_image_features [3, P, C] includes the text-only sample's dummy image, whose features are unused
        Tensor dImg = d.tensor("d_image_features.npy", backend, dt);
        assertEquals(0.0, HostMath.maxAbs(dImg.row(1)), 0.0);
        Tensor dImgUsed = backend.allocate(dt, 2, dImg.size(1), dImg.size(2));
        Tensors.assign(dImgUsed.row(0), dImg.row(0));
        Tensors.assign(dImgUsed.row(1), dImg.row(2));
        Golden.Difference dFeat = Golden.normRel("d_image_features", m.imageFeatureGrad(), dImgUsed);
        System.out.printf(
                "parity %s %s: d_inputs_embeds %.2e d_image_features %.2e%n",
                backendName, precision, dEmb.error(), dFeat.error());
        dEmb.assertAtMost(gradTol);
        dFeat.assertAtMost(gradTol);
        // the original text padding is embedded (pad id 0) but masked as keys: its embedding row gets exactly zero
        // gradient, in the reference and here
        Tensor padRow = m.layout().view(m.grads(), "model.embed_tokens.weight").row(0);
        assertEquals(0.0, HostMath.maxAbs(padRow), 0.0, "pad id row of embed_tokens");
        double worst = 0;
        ParamLayout layout = m.layout();
        for (ParamLayout.Entry e : layout.entries()) {
            Tensor golden = d.tensor("grads/" + e.name() + ".npy", backend, dt);
            Tensor ours = layout.view(m.grads(), e.name());
            double goldenMax = HostMath.maxAbs(golden);
            double maxAbs = HostMath.maxAbsDiff(ours, golden);
            if (goldenMax == 0) {
                assertEquals(0.0, HostMath.maxAbs(ours), 0.0, e.name() + " must get exactly zero gradient");
                System.out.printf("grad %s %s %-80s zero (exact)%n", backendName, precision, e.name());
                continue;
            }
            if (e.name().endsWith("k_proj.bias")) {
                // analytically zero (softmax ignores a per-query constant): both sides hold rounding noise only
                assertTrue(maxAbs < (dt == DType.DOUBLE ? 1e-15 : 1e-7), e.name() + " noise " + maxAbs);
                System.out.printf(
                        "grad %s %s %-80s noise %.1e (true gradient is 0)%n", backendName, precision, e.name(), maxAbs);
                continue;
            }
            Golden.Difference rel = Golden.normRel(e.name() + " gradient", ours, golden);
            System.out.printf(
                    "grad %s %s %-80s rel %.2e maxabs %.2e%n", backendName, precision, e.name(), rel.error(), maxAbs);
            rel.assertAtMost(gradTol);
            worst = Math.max(worst, rel.error());
        }
        System.out.printf(
                "parity %s %s recompute=%s: worst parameter gradient rel %.2e%n",
                backendName, precision, recompute, worst);
    }
}
