package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.model.GoldenTiny;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.HfConfigReader;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.Golden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The path a trainer or evaluator takes: HF config.json -> LlavaConfig, the golden float32 checkpoint (LLM +
 * projector safetensors, tower resolved from {@code mm_vision_tower}) loaded into the model's flat buffer, then a
 * forward that reproduces the PyTorch logits and loss.
 */
class LlavaCheckpointParityTest {
    @Test
    void goldenCheckpointReproducesTheReferenceForward() throws Exception {
        Path dir = GoldenTiny.FIXTURES.path(GoldenTiny.CHECKPOINT);
        LlavaConfig cfg = HfConfigReader.readLlava(dir, null);
        assertEquals(TinyLlava.config().llm(), cfg.llm());
        LlavaModel m = new LlavaModel(cfg, LlavaModel.Options.of(3, 24, 2, Trainable.none()), Kernels.create("nd4j"));
        CheckpointLoader.Report report = CheckpointLoader.load(dir, null, m.layout(), m.params());
        assertEquals(m.layout().entries().size(), report.loaded().size());
        LlavaModel.Output out = m.forward(GoldenTiny.batch(DataType.FLOAT));
        Golden d = GoldenTiny.FIXTURES.sub("fp32");
        Golden.Difference logits = Golden.maxRel("logits", out.logits(), d.array("logits.npy", DataType.FLOAT));
        double goldenLoss = d.scalar("loss.npy");
        System.out.printf(
                "checkpoint -> forward: logits max rel %.2e, loss %.8f vs %.8f%n",
                logits.error(), out.loss().mean(), goldenLoss);
        logits.assertAtMost(1e-5);
        assertEquals(goldenLoss, out.loss().mean(), 1e-5 * goldenLoss);
    }
}
