package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.HfConfigReader;
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
        Path dir = TinyLlava.goldenDir().resolve("checkpoints/llava-safetensors");
        LlavaConfig cfg = HfConfigReader.readLlava(dir, null);
        assertEquals(TinyLlava.config().llm(), cfg.llm());
        LlavaModel m = new LlavaModel(cfg, LlavaModel.Options.of(3, 24, 2, Trainable.none()), TinyLlava.kernels("nd4j"));
        CheckpointLoader.Report report = CheckpointLoader.load(dir, null, m.layout(), m.params());
        assertEquals(m.layout().entries().size(), report.loaded().size());
        LlavaModel.Output out = m.forward(TinyLlava.goldenBatch(DataType.FLOAT));
        Path d = TinyLlava.goldenDir().resolve("fp32");
        double logitErr = LlavaGoldenParityTest.maxRel(out.logits(), TinyLlava.load(d.resolve("logits.npy"), DataType.FLOAT));
        double goldenLoss = TinyLlava.load(d.resolve("loss.npy"), DataType.DOUBLE).getDouble(0);
        System.out.printf("checkpoint -> forward: logits max rel %.2e, loss %.8f vs %.8f%n", logitErr,
                out.loss().mean(), goldenLoss);
        assertTrue(logitErr <= 1e-5, "logits " + logitErr);
        assertEquals(goldenLoss, out.loss().mean(), 1e-5 * goldenLoss);
    }
}
