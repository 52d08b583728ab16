package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.ParamLayout;
import java.nio.file.Path;
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
        for (String k : TinyLlava.KERNELS) {
            for (boolean recompute : new boolean[] {false, true}) {
                out.add(Arguments.of(k, "fp32", recompute, 1e-5, 1e-4));
                out.add(Arguments.of(k, "fp64", recompute, 1e-10, 1e-10));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} recompute={2}")
    @MethodSource("cases")
    void matchesPyTorch(String kernels, String precision, boolean recompute, double actTol, double gradTol) {
        DataType dt = precision.equals("fp64") ? DataType.DOUBLE : DataType.FLOAT;
        LlavaModel m = new LlavaModel(TinyLlava.config(),
                new LlavaModel.Options(3, 24, 2, recompute, dt, Trainable.all()), TinyLlava.kernels(kernels));
        TinyLlava.loadGoldenWeights(m);
        Path d = TinyLlava.goldenDir().resolve(precision);

        LlavaModel.Output out = m.forward(TinyLlava.goldenBatch(dt));
        SplicePlan plan = out.plan();
        assertArrayEquals(new int[] {22, 8, 15}, plan.validLength);
        assertEquals(13, out.loss().tokens());
        int[][] splicedLabels = TinyLlava.loadInts(TinyLlava.goldenDir().resolve("spliced/labels.npy"));
        for (int b = 0; b < plan.batch; b++) {
            for (int t = 0; t + 1 < plan.seq; t++) {
                assertEquals(splicedLabels[b][t + 1], plan.targets[b * plan.seq + t], "target " + b + "," + t);
            }
        }
        double embErr = maxRel(m.llmActivations().x[0], TinyLlava.load(d.resolve("inputs_embeds.npy"), dt));
        double logitErr = maxRel(out.logits(), TinyLlava.load(d.resolve("logits.npy"), dt));
        double goldenLoss = TinyLlava.load(d.resolve("loss.npy"), DataType.DOUBLE).getDouble(0);
        double lossErr = Math.abs(out.loss().mean() - goldenLoss) / Math.abs(goldenLoss);
        System.out.printf("parity %s %s recompute=%s: inputs_embeds %.2e logits %.2e loss %.2e (ours %.10f golden %.10f)%n",
                kernels, precision, recompute, embErr, logitErr, lossErr, out.loss().mean(), goldenLoss);
        assertTrue(embErr <= actTol, "inputs_embeds " + embErr);
        assertTrue(logitErr <= actTol, "logits " + logitErr);
        assertTrue(lossErr <= actTol, "loss " + lossErr);

        m.zeroGrad();
        m.backward();
        double dEmbErr = normRel(m.llmActivations().dres, TinyLlava.load(d.resolve("d_inputs_embeds.npy"), dt));
        // golden d_image_features [3, P, C] includes the text-only sample's dummy image, whose features are unused
        INDArray dImg = TinyLlava.load(d.resolve("d_image_features.npy"), dt);
        assertEquals(0.0, dImg.get(NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0.0);
        INDArray dImgUsed = Nd4j.concat(0, dImg.get(NDArrayIndex.interval(0, 1)), dImg.get(NDArrayIndex.interval(2, 3)));
        double dFeatErr = normRel(m.imageFeatureGrad(), dImgUsed);
        System.out.printf("parity %s %s: d_inputs_embeds %.2e d_image_features %.2e%n", kernels, precision, dEmbErr,
                dFeatErr);
        assertTrue(dEmbErr <= gradTol, "d_inputs_embeds " + dEmbErr);
        assertTrue(dFeatErr <= gradTol, "d_image_features " + dFeatErr);
        // the original text padding is embedded (pad id 0) but masked as keys: its embedding row gets exactly zero
        // gradient, in the reference and here
        INDArray padRow = m.layout().view(m.grads(), "model.embed_tokens.weight").getRow(0);
        assertEquals(0.0, padRow.amaxNumber().doubleValue(), 0.0, "pad id row of embed_tokens");
        double worst = 0;
        ParamLayout layout = m.layout();
        for (ParamLayout.Entry e : layout.entries()) {
            INDArray golden = TinyLlava.load(d.resolve("grads/" + e.name() + ".npy"), dt);
            INDArray ours = layout.view(m.grads(), e.name());
            double goldenMax = golden.amaxNumber().doubleValue();
            double maxAbs = ours.castTo(DataType.DOUBLE).sub(golden.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            if (goldenMax == 0) {
                assertEquals(0.0, ours.amaxNumber().doubleValue(), 0.0, e.name() + " must get exactly zero gradient");
                System.out.printf("grad %s %s %-80s zero (exact)%n", kernels, precision, e.name());
                continue;
            }
            if (e.name().endsWith("k_proj.bias")) {
                // analytically zero (softmax ignores a per-query constant): both sides hold rounding noise only
                assertTrue(maxAbs < (dt == DataType.DOUBLE ? 1e-15 : 1e-7), e.name() + " noise " + maxAbs);
                System.out.printf("grad %s %s %-80s noise %.1e (true gradient is 0)%n", kernels, precision, e.name(), maxAbs);
                continue;
            }
            double rel = normRel(ours, golden);
            System.out.printf("grad %s %s %-80s rel %.2e maxabs %.2e%n", kernels, precision, e.name(), rel, maxAbs);
            assertTrue(rel <= gradTol, e.name() + ": gradient norm-wise relative error " + rel + " > " + gradTol);
            worst = Math.max(worst, rel);
        }
        System.out.printf("parity %s %s recompute=%s: worst parameter gradient rel %.2e%n", kernels, precision,
                recompute, worst);
    }

    /** max |ours - golden| / max |golden| (shapes flattened). */
    static double maxRel(INDArray ours, INDArray golden) {
        INDArray o = ours.castTo(DataType.DOUBLE).reshape(golden.length());
        INDArray g = golden.castTo(DataType.DOUBLE).reshape(golden.length());
        return o.sub(g).amaxNumber().doubleValue() / g.amaxNumber().doubleValue();
    }

    /** ||ours - golden|| / ||golden||. */
    static double normRel(INDArray ours, INDArray golden) {
        INDArray o = ours.castTo(DataType.DOUBLE).reshape(golden.length());
        INDArray g = golden.castTo(DataType.DOUBLE).reshape(golden.length());
        return o.sub(g).norm2Number().doubleValue() / g.norm2Number().doubleValue();
    }
}
