package io.share4v.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the tasks are told to load: the driver's paths, absolute, whatever directory an executor runs in. */
class ModelSpecTest {
    @Test
    void relativeModelAndTowerPathsAreMadeAbsoluteOnTheDriver() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        ModelSpec spec = ModelSpec.of(EvalConfig.load(
                null, null, List.of("model=runs/a/../b/final", "vision_tower=towers/clip", "model_id=m")));
        assertEquals(cwd.resolve("runs/b/final").toString(), spec.model());
        assertEquals(cwd.resolve("towers/clip").toString(), spec.visionTower());
        assertEquals("m", spec.modelId());
        assertEquals(
                "/abs/model",
                ModelSpec.of(EvalConfig.load(null, null, List.of("model=/abs/model")))
                        .model());
        assertNull(ModelSpec.of(EvalConfig.load(null, null, List.of("model=/abs/model")))
                .visionTower());
    }
}
