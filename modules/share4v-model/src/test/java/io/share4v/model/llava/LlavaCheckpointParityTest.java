package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.model.GoldenTiny;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.HfConfigReader;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostBackends;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path a trainer or evaluator takes: HF config.json -> LlavaConfig, the golden float32 checkpoint (LLM +
 * projector safetensors, tower resolved from {@code mm_vision_tower}) loaded into the model's flat buffer, then a
 * forward that reproduces the PyTorch logits and loss, on both host backends.
 */
class LlavaCheckpointParityTest {
    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void goldenCheckpointReproducesTheReferenceForward(String backend) throws Exception {
        Path dir = GoldenTiny.FIXTURES.path(GoldenTiny.CHECKPOINT);
        LlavaConfig cfg = HfConfigReader.readLlava(dir, null);
        assertEquals(GoldenLlavaConfig.config().llm(), cfg.llm());
        LlavaModel m = new LlavaModel(cfg, LlavaModel.Options.of(3, 24, 2, Trainable.none()), Backends.create(backend));
        CheckpointLoader.Report report = CheckpointLoader.load(dir, null, m.layout(), m.backend(), m.params());
        assertEquals(m.layout().entries().size(), report.loaded().size());
        LlavaModel.Output out = m.forward(GoldenTiny.batch(m.backend(), DType.FLOAT));
        Golden d = GoldenTiny.FIXTURES.sub("fp32");
        Golden.Difference logits =
                Golden.maxRel("logits", out.logits(), d.tensor("logits.npy", m.backend(), DType.FLOAT));
        double goldenLoss = d.scalar("loss.npy");
        System.out.printf(
                "checkpoint -> forward (%s): logits max rel %.2e, loss %.8f vs %.8f%n",
                backend, logits.error(), out.loss().mean(), goldenLoss);
        logits.assertAtMost(1e-5);
        assertEquals(goldenLoss, out.loss().mean(), 1e-5 * goldenLoss);
    }
}
