package io.share4v.model.llava;

import static io.share4v.model.llava.LlavaGoldenParityTest.maxRel;
import static io.share4v.model.llava.LlavaGoldenParityTest.normRel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
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
 * A pad id (0 = {@code <unk>}) inside a text, against the PyTorch reference in float64 (golden/tiny-keymask,
 * make_keymask_golden.py): the reference's mask {@code input_ids != 0} hides those positions as keys while they
 * keep their query, embedding and label. Checks the spliced key mask, logits at every position, the loss, the
 * gradient at the spliced embeddings and a few parameter gradients, including embed_tokens row 0.
 */
class LlavaKeyMaskParityTest {
    private static final String[] GRADS = {"model.layers.0.self_attn.q_proj.weight",
        "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
        "model.layers.1.mlp.down_proj.weight", "model.mm_projector.0.weight", "model.norm.weight"};
    private static final double TOL = 1e-10;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String k : TinyLlava.KERNELS) {
            for (boolean recompute : new boolean[] {false, true}) {
                out.add(Arguments.of(k, recompute));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} recompute={1}")
    @MethodSource("cases")
    void matchesPyTorchWithPadIdsInsideTheText(String kernels, boolean recompute) throws URISyntaxException {
        DataType dt = DataType.DOUBLE;
        Path d = Path.of(LlavaKeyMaskParityTest.class.getResource("/golden/tiny-keymask/manifest.json").toURI())
                .getParent();
        LlavaModel m = new LlavaModel(TinyLlava.config(),
                new LlavaModel.Options(3, 24, 2, recompute, dt, Trainable.all()), TinyLlava.kernels(kernels));
        TinyLlava.loadGoldenWeights(m);
        INDArray all = TinyLlava.load(TinyLlava.goldenDir().resolve("inputs/images.npy"), dt);
        INDArray images = Nd4j.concat(0, all.get(NDArrayIndex.interval(0, 1)), all.get(NDArrayIndex.interval(2, 3)));
        Batch batch = Batch.of(TinyLlava.loadInts(d.resolve("inputs/input_ids.npy")),
                TinyLlava.loadInts(d.resolve("inputs/labels.npy")), images);

        LlavaModel.Output out = m.forward(batch);
        SplicePlan plan = out.plan();
        int[][] mask = TinyLlava.loadInts(d.resolve("spliced/attention_mask.npy"));
        assertNotNull(plan.keyValid, "inner pad ids must produce a key mask");
        for (int b = 0; b < plan.batch; b++) {
            for (int t = 0; t < plan.seq; t++) {
                assertEquals(mask[b][t] == 1, plan.keyValid[b * plan.seq + t], "key mask " + b + "," + t);
            }
        }
        assertArrayEquals(new int[] {22, 8, 15}, plan.validLength);
        assertEquals(13, out.loss().tokens());
        double logitErr = maxRel(out.logits(), TinyLlava.load(d.resolve("fp64/logits.npy"), dt));
        double goldenLoss = TinyLlava.load(d.resolve("fp64/loss.npy"), dt).getDouble(0);
        double lossErr = Math.abs(out.loss().mean() - goldenLoss) / Math.abs(goldenLoss);

        m.zeroGrad();
        m.backward();
        double dEmbErr = normRel(m.llmActivations().dres, TinyLlava.load(d.resolve("fp64/d_inputs_embeds.npy"), dt));
        INDArray row0 = m.layout().view(m.grads(), "model.embed_tokens.weight").getRow(0);
        double row0Err = normRel(row0, TinyLlava.load(d.resolve("fp64/grads/model.embed_tokens.weight.row0.npy"), dt));
        System.out.printf("keymask parity %s recompute=%s: logits %.2e loss %.2e (ours %.12f golden %.12f) "
                + "d_inputs_embeds %.2e embed_tokens[0] grad %.2e%n", kernels, recompute, logitErr, lossErr,
                out.loss().mean(), goldenLoss, dEmbErr, row0Err);
        assertTrue(logitErr <= TOL, "logits " + logitErr);
        assertTrue(lossErr <= TOL, "loss " + lossErr);
        assertTrue(dEmbErr <= TOL, "d_inputs_embeds " + dEmbErr);
        assertTrue(row0Err <= TOL, "embed_tokens row 0 gradient " + row0Err);
        for (String name : GRADS) {
            double rel = normRel(m.layout().view(m.grads(), name), TinyLlava.load(d.resolve("fp64/grads/" + name + ".npy"), dt));
            System.out.printf("keymask grad %s %-45s rel %.2e%n", kernels, name, rel);
            assertTrue(rel <= TOL, name + ": gradient norm-wise relative error " + rel);
        }
    }
}
