package io.share4v.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.model.GoldenTiny;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KV-cached greedy decoding reproduces the PyTorch reference (golden/tiny/generate: 8 greedy tokens recomputing
 * the whole sequence each step, batch 1), ids exactly and every step's last-position logits within 1e-5
 * relative, in fp32 and fp64, on both host backends.
 */
class GeneratorGoldenTest {
    @ParameterizedTest
    @CsvSource({
        "image,fp32,nd4j",
        "text,fp32,nd4j",
        "image,fp64,nd4j",
        "text,fp64,nd4j",
        "image,fp32,java",
        "text,fp32,java",
        "image,fp64,java",
        "text,fp64,java"
    })
    void greedyIdsAndStepLogitsMatchTheReference(String kind, String prec, String backendName) {
        DType dt = prec.equals("fp32") ? DType.FLOAT : DType.DOUBLE;
        LlavaModel m = GoldenTiny.model(backendName, dt, 1, 32);
        Generator g = new Generator(m, null, 1, 32);
        int[] want = GoldenTiny.FIXTURES.ints("generate/" + kind + "_" + prec + "_ids.npy");
        Tensor wantLogits = GoldenTiny.FIXTURES.tensor(
                "generate/" + kind + "_" + prec + "_step_logits.npy", Tensors.java(), DType.DOUBLE);
        List<double[]> steps = new ArrayList<>();
        GenerationResult r = g.generate(
                List.of(GoldenTiny.prompt(kind)),
                GenerationConfig.greedy(want.length),
                (sample, step, logits) -> steps.add(logits.clone()));
        GeneratedSequence s = r.sequences().get(0);
        assertArrayEquals(want, s.tokenIds(), kind + " " + prec + " greedy ids");
        assertEquals(FinishReason.LENGTH, s.finishReason());
        assertEquals(want.length, steps.size());
        Golden.Difference worst = null;
        for (int t = 0; t < want.length; t++) {
            double[] golden = Tensors.doubles(wantLogits.row(t));
            Golden.Difference step = Golden.maxRel("step " + t + " logits", steps.get(t), golden);
            worst = worst == null || step.error() > worst.error() ? step : worst;
        }
        System.out.printf(
                "generate %s %s %s: ids %s, step logits max rel %.2e, prefill %.2f ms, decode %.0f tok/s%n",
                kind,
                prec,
                backendName,
                java.util.Arrays.toString(s.tokenIds()),
                worst.error(),
                r.prefillMillis(),
                r.decodeTokensPerSecond());
        worst.assertAtMost(1e-5);
        assertEquals(want.length - 1, r.decodeTokens());
    }
}
