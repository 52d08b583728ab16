package io.share4v.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.clip.ClipLayout;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.ParamLayout;
import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 1 from its three sources (a LLaMA directory, a tower directory, {@code mm_projector.safetensors}) on 2
 * ranks: the tiny tower has 3 layers, {@code tune_vit_from_layer} 1 and select layer -2, so layer 1 trains while
 * the embeddings, the pre-norm and layer 0 stay frozen (layer 2 and the post-norm are trainable but unused: zero
 * gradient, so AdamW leaves them as they are).
 */
class Stage1RunTest {
    @TempDir
    Path dir;

    @Test
    void stage1TrainsTheLlmTheProjectorAndTheUpperTowerLayersOnly() throws IOException {
        Path model = RunFixture.tinyModel(dir.resolve("model"));
        Path llm = RunFixture.stage1Sources(dir.resolve("sources"), model);
        Path shards = RunFixture.shards(dir.resolve("shards-plain"), 10, false);
        Path out = dir.resolve("out");
        TrainConfig config = RunFixture.config(
                "pretrain",
                llm,
                model.resolve("vision_tower"),
                dir.resolve("sources/mm_projector.safetensors").toString(),
                shards,
                out,
                Map.of());

        List<RunFixture.Outcome> outcomes = RunFixture.run(config, "stage1");

        assertTrue(outcomes.get(0).result().finished());
        assertEquals(4, outcomes.get(0).result().totalSteps(), "2 epochs of ceil(10 / 8) steps");
        float[] before = RunFixture.tinyModelParams();
        float[] after = outcomes.get(0).params();
        ParamLayout layout = LlavaLayout.of(RunModel.architecture(config));
        for (ParamLayout.Entry e : layout.entries()) {
            boolean changed = !Arrays.equals(slice(before, e), slice(after, e));
            String n = e.name();
            if (n.equals(ClipLayout.PATCH_EMBEDDING)
                    || n.equals(ClipLayout.POSITION_EMBEDDING)
                    || n.equals(ClipLayout.CLASS_EMBEDDING)
                    || n.startsWith(ClipLayout.PREFIX + "pre_layrnorm")
                    || n.startsWith(ClipLayout.PREFIX + "encoder.layers.0.")) {
                assertFalse(changed, n + " is frozen");
            } else if (n.startsWith(ClipLayout.PREFIX + "encoder.layers.1.") && n.endsWith("weight")) {
                assertTrue(changed, n + " trains");
            } else if (n.startsWith(ProjectorLayout.PREFIX) || n.equals("model.embed_tokens.weight")) {
                assertTrue(changed, n + " trains");
            }
        }
        Path published = out.resolve("final");
        assertTrue(Files.isDirectory(published.resolve("vision_tower")), "stage 1 saves its trained tower");
        assertArrayEquals(after, RunFixture.load(published, config), "final/ with its own vision_tower/");
    }

    @Test
    void withoutAnAdapterTheProjectorComesFromTheModelDirectoryAsConfTinyPretrainRuns() throws IOException {
        Path model = RunFixture.tinyModel(dir.resolve("model"));
        Path shards = RunFixture.shards(dir.resolve("shards-plain"), 10, false);
        TrainConfig config = RunFixture.config(
                "pretrain",
                model,
                model.resolve("vision_tower"),
                null,
                shards,
                dir.resolve("out"),
                Map.of("run.stop_after", "1"));

        List<RunFixture.Outcome> outcomes = RunFixture.run(config, "tiny");

        assertEquals(1, outcomes.get(0).result().lastStep());
        // step 0 updates with lr 0 (warmup from 0), so the weights are still exactly the loaded ones
        assertArrayEquals(RunFixture.tinyModelParams(), outcomes.get(1).params());
    }

    private static float[] slice(float[] flat, ParamLayout.Entry e) {
        return Arrays.copyOfRange(flat, (int) e.offset(), (int) (e.offset() + e.size()));
    }
}
