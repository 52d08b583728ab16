package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.GoldenTiny;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
        return HostKernels.each(out);
    }

    @ParameterizedTest(name = "{0} {1} recompute={2}")
    @MethodSource("cases")
    void matchesPyTorch(String kernels, String precision, boolean recompute, double actTol, double gradTol) {
        DataType dt = precision.equals("fp64") ? DataType.DOUBLE : DataType.FLOAT;
        LlavaModel m = new LlavaModel(
                TinyLlava.config(),
                new LlavaModel.Options(3, 24, 2, recompute, dt, Trainable.all()),
                Kernels.create(kernels));
        GoldenTiny.loadWeights(m);
        Golden d = GoldenTiny.FIXTURES.sub(precision);

        LlavaModel.Output out = m.forward(GoldenTiny.batch(dt));
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
                Golden.maxRel("inputs_embeds", m.llmActivations().x[0], d.array("inputs_embeds.npy", dt));
        Golden.Difference logits = Golden.maxRel("logits", out.logits(), d.array("logits.npy", dt));
        double goldenLoss = d.scalar("loss.npy");
        double lossErr = Math.abs(out.loss().mean() - goldenLoss) / Math.abs(goldenLoss);
        System.out.printf(
                "parity %s %s recompute=%s: inputs_embeds %.2e logits %.2e loss %.2e (ours %.10f golden %.10f)%n",
                kernels,
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
        Golden.Difference dEmb =
                Golden.normRel("d_inputs_embeds", m.llmActivations().dres, d.array("d_inputs_embeds.npy", dt));
        // golden d_image_features [3, P, C] includes the text-only sample's dummy image, whose features are unused
        INDArray dImg = d.array("d_image_features.npy", dt);
        assertEquals(0.0, dImg.get(NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0.0);
        INDArray dImgUsed =
                Nd4j.concat(0, dImg.get(NDArrayIndex.interval(0, 1)), dImg.get(NDArrayIndex.interval(2, 3)));
        Golden.Difference dFeat = Golden.normRel("d_image_features", m.imageFeatureGrad(), dImgUsed);
        System.out.printf(
                "parity %s %s: d_inputs_embeds %.2e d_image_features %.2e%n",
                kernels, precision, dEmb.error(), dFeat.error());
        dEmb.assertAtMost(gradTol);
        dFeat.assertAtMost(gradTol);
        // the original text padding is embedded (pad id 0) but masked as keys: its embedding row gets exactly zero
        // gradient, in the reference and here
        INDArray padRow =
                m.layout().view(m.grads(), "model.embed_tokens.weight").getRow(0);
        assertEquals(0.0, padRow.amaxNumber().doubleValue(), 0.0, "pad id row of embed_tokens");
        double worst = 0;
        ParamLayout layout = m.layout();
        for (ParamLayout.Entry e : layout.entries()) {
            INDArray golden = d.array("grads/" + e.name() + ".npy", dt);
            INDArray ours = layout.view(m.grads(), e.name());
            double goldenMax = golden.amaxNumber().doubleValue();
            double maxAbs = ours.castTo(DataType.DOUBLE)
                    .sub(golden.castTo(DataType.DOUBLE))
                    .amaxNumber()
                    .doubleValue();
            if (goldenMax == 0) {
                assertEquals(0.0, ours.amaxNumber().doubleValue(), 0.0, e.name() + " must get exactly zero gradient");
                System.out.printf("grad %s %s %-80s zero (exact)%n", kernels, precision, e.name());
                continue;
            }
            if (e.name().endsWith("k_proj.bias")) {
                // analytically zero (softmax ignores a per-query constant): both sides hold rounding noise only
                assertTrue(maxAbs < (dt == DataType.DOUBLE ? 1e-15 : 1e-7), e.name() + " noise " + maxAbs);
                System.out.printf(
                        "grad %s %s %-80s noise %.1e (true gradient is 0)%n", kernels, precision, e.name(), maxAbs);
                continue;
            }
            Golden.Difference rel = Golden.normRel(e.name() + " gradient", ours, golden);
            System.out.printf(
                    "grad %s %s %-80s rel %.2e maxabs %.2e%n", kernels, precision, e.name(), rel.error(), maxAbs);
            rel.assertAtMost(gradTol);
            worst = Math.max(worst, rel.error());
        }
        System.out.printf(
                "parity %s %s recompute=%s: worst parameter gradient rel %.2e%n", kernels, precision, recompute, worst);
    }
}
