package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.GoldenTiny;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostBackends;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pad id (0 = {@code <unk>}) inside a text, against the PyTorch reference in float64 (golden/tiny-keymask,
 * make_keymask_golden.py): the reference's mask {@code input_ids != 0} hides those positions as keys while they
 * keep their query, embedding and label. Checks the spliced key mask, logits at every position, the loss, the
 * gradient at the spliced embeddings and a few parameter gradients, including embed_tokens row 0.
 */
class LlavaKeyMaskParityTest {
    private static final String[] GRADS = {
        "model.layers.0.self_attn.q_proj.weight",
        "model.layers.0.self_attn.k_proj.weight",
        "model.layers.0.self_attn.v_proj.weight",
        "model.layers.1.mlp.down_proj.weight",
        "model.mm_projector.0.weight",
        "model.norm.weight"
    };
    private static final double TOL = 1e-10;

    static Stream<Arguments> cases() {
        return HostBackends.each(List.of(false, true));
    }

    @ParameterizedTest(name = "{0} recompute={1}")
    @MethodSource("cases")
    void matchesPyTorchWithPadIdsInsideTheText(String backendName, boolean recompute) {
        DType dt = DType.DOUBLE;
        Golden d = GoldenTiny.KEYMASK;
        Backend backend = Backends.create(backendName);
        LlavaModel m = new LlavaModel(
                GoldenLlavaConfig.config(), new LlavaModel.Options(3, 24, 2, recompute, dt, Trainable.all()), backend);
        GoldenTiny.loadWeights(m);
        Batch batch = Batch.of(
                d.intRows("inputs/input_ids.npy"), d.intRows("inputs/labels.npy"), GoldenTiny.usedImages(backend, dt));

        LlavaModel.Output out = m.forward(batch);
        SplicePlan plan = out.plan();
        int[][] mask = d.intRows("spliced/attention_mask.npy");
        assertNotNull(plan.keyValid, "inner pad ids must produce a key mask");
        for (int b = 0; b < plan.batch; b++) {
            for (int t = 0; t < plan.seq; t++) {
                assertEquals(mask[b][t] == 1, plan.keyValid[b * plan.seq + t], "key mask " + b + "," + t);
            }
        }
        assertArrayEquals(new int[] {22, 8, 15}, plan.validLength);
        assertEquals(13, out.loss().tokens());
        Golden.Difference logits = Golden.maxRel("logits", out.logits(), d.tensor("fp64/logits.npy", backend, dt));
        double goldenLoss = d.scalar("fp64/loss.npy");
        double lossErr = Math.abs(out.loss().mean() - goldenLoss) / Math.abs(goldenLoss);

        m.zeroGrad();
        m.backward();
        Golden.Difference dEmb = Golden.normRel(
                "d_inputs_embeds", m.llmActivations().dres, d.tensor("fp64/d_inputs_embeds.npy", backend, dt));
        Tensor row0 = m.layout().view(m.grads(), "model.embed_tokens.weight").row(0);
        Golden.Difference row0Err = Golden.normRel(
                "embed_tokens row 0 gradient",
                row0,
                d.tensor("fp64/grads/model.embed_tokens.weight.row0.npy", backend, dt));
        System.out.printf(
                "keymask parity %s recompute=%s: logits %.2e loss %.2e (ours %.12f golden %.12f) "
                        + "d_inputs_embeds %.2e embed_tokens[0] grad %.2e%n",
                backendName,
                recompute,
                logits.error(),
                lossErr,
                out.loss().mean(),
                goldenLoss,
                dEmb.error(),
                row0Err.error());
        logits.assertAtMost(TOL);
        assertTrue(lossErr <= TOL, "loss " + lossErr);
        dEmb.assertAtMost(TOL);
        row0Err.assertAtMost(TOL);
        for (String name : GRADS) {
            Golden.Difference rel = Golden.normRel(
                    name + " gradient",
                    m.layout().view(m.grads(), name),
                    d.tensor("fp64/grads/" + name + ".npy", backend, dt));
            System.out.printf("keymask grad %s %-45s rel %.2e%n", backendName, name, rel.error());
            rel.assertAtMost(TOL);
        }
    }
}
