package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.common.json.JsonFile;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.tensor.ops.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json reading: the released keys, the reference's defaults, and errors naming file and key. */
class HfConfigReaderTest {
    @Test
    void readsTheTinyShare4vConfigAndBothTowerKinds() throws IOException {
        LlavaConfig c = IoFixtures.tinyConfig();
        assertEquals("share4v", c.modelType());
        assertEquals("Lin-Chen/ShareGPT4V-7B_Pretrained_vit-large336-l12", c.visionTower());
        assertEquals(
                LlamaConfig.builder()
                        .vocabSize(40)
                        .hiddenSize(12)
                        .intermediateSize(20)
                        .numLayers(2)
                        .numHeads(2)
                        .numKvHeads(1)
                        .rmsNormEps(1e-5)
                        .ropeTheta(10000.0)
                        .maxPositionEmbeddings(64)
                        .hiddenAct(Activation.SILU)
                        .tieWordEmbeddings(false)
                        .bosTokenId(1)
                        .eosTokenId(2)
                        .padTokenId(0)
                        .build(),
                c.llm());
        assertEquals(
                ClipVisionConfig.builder()
                        .hiddenSize(8)
                        .intermediateSize(16)
                        .numLayers(2)
                        .numHeads(2)
                        .imageSize(28)
                        .patchSize(14)
                        .numChannels(3)
                        .hiddenAct(Activation.QUICK_GELU)
                        .layerNormEps(1e-5)
                        .build(),
                c.vision());
        assertEquals("mlp2x_gelu", c.projector().type());
        assertEquals(-2, c.visionSelectLayer());
        assertEquals("pad", c.imageAspectRatio().configName());
        assertFalse(c.useImPatchToken());
        assertEquals(c.vision(), HfConfigReader.readVision(IoFixtures.path("tower-clipmodel")));
        assertEquals(c.llm(), HfConfigReader.readLlama(IoFixtures.path("vicuna-bin")));
    }

    @Test
    void relativeTowerPathsResolveAgainstTheModelDir() throws IOException {
        LlavaConfig c = HfConfigReader.readLlava(IoFixtures.path("llava-st-f16"), null);
        assertEquals("../tower-clipmodel", c.visionTower());
        assertEquals(IoFixtures.tinyConfig().vision(), c.vision());
    }

    @Test
    void hubIdWithoutOverrideSaysHowToProvideIt() {
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> HfConfigReader.readLlava(IoFixtures.path("llava-st-f32"), null));
        assertTrue(e.getMessage().contains("Lin-Chen/ShareGPT4V-7B_Pretrained_vit-large336-l12"), e.getMessage());
        assertTrue(e.getMessage().contains("--vision-tower DIR"), e.getMessage());
    }

    /** Copies the tiny config with one edit into a fresh model dir. */
    private static Path edited(Path tmp, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode n = (ObjectNode) JsonFile.read(IoFixtures.path("llava-st-f32/config.json"), CheckpointException::new)
                .node()
                .deepCopy();
        edit.accept(n);
        Path d = Files.createDirectories(tmp.resolve("m"));
        Files.writeString(d.resolve("config.json"), n.toString());
        return d;
    }

    @Test
    void defaultsForAbsentKeys(@TempDir Path tmp) throws IOException {
        Path d = edited(tmp, n -> {
            n.remove("num_key_value_heads");
            n.remove("rope_theta");
            n.remove("mm_vision_select_feature");
            n.remove("image_aspect_ratio");
            n.remove("mm_use_im_start_end");
        });
        LlavaConfig c = HfConfigReader.readLlava(d, IoFixtures.path("tower-clipvision"));
        assertEquals(2, c.llm().numKvHeads());
        assertEquals(10000.0, c.llm().ropeTheta());
        assertEquals("patch", c.visionSelectFeature().configName());
        assertEquals("square", c.imageAspectRatio().configName());
    }

    private static String error(Path tmp, Consumer<ObjectNode> edit) throws IOException {
        Path d = edited(tmp, edit);
        return assertThrows(
                        CheckpointException.class,
                        () -> HfConfigReader.readLlava(d, IoFixtures.path("tower-clipvision")))
                .getMessage();
    }

    @Test
    void absentImPatchTokenDefaultsToTrueAndIsRefusedWithTheReason(@TempDir Path tmp) throws IOException {
        String m = error(tmp, n -> n.remove("mm_use_im_patch_token"));
        assertTrue(m.contains("\"mm_use_im_patch_token\" is absent, which the reference's builder reads as true"), m);
        assertTrue(m.contains("vocab_size + 1"), m);
        assertTrue(m.contains("config.json"), m);
    }

    @Test
    void errorsNameFileAndKey(@TempDir Path tmp) throws IOException {
        String m = error(tmp, n -> n.put("mm_projector_type", "mlp2x_relu"));
        assertTrue(m.contains("config.json") && m.contains("mm_projector_type = mlp2x_relu"), m);
        m = error(tmp, n -> n.put("hidden_size", "twelve"));
        assertTrue(m.contains("key \"hidden_size\" = \"twelve\" is invalid: expected an integer"), m);
        m = error(tmp, n -> n.put("mm_hidden_size", 9));
        assertTrue(m.contains("mm_hidden_size = 9 is invalid"), m);
        m = error(tmp, n -> n.put("mm_newfangled", 1));
        assertTrue(m.contains("key \"mm_newfangled\"") && m.contains("unknown multimodal key"), m);
        m = error(tmp, n -> n.put("model_type", "mistral"));
        assertTrue(m.contains("key \"model_type\" = \"mistral\""), m);
        m = error(tmp, n -> n.remove("mm_vision_select_layer"));
        assertTrue(m.contains("key \"mm_vision_select_layer\" = (absent)"), m);
        m = error(tmp, n -> n.putObject("rope_scaling").put("type", "linear"));
        assertTrue(m.contains("rope_scaling"), m);
    }

    @Test
    void nestedVisionConfigErrorsUseDottedKeys(@TempDir Path tmp) throws IOException {
        ObjectNode n =
                (ObjectNode) JsonFile.read(IoFixtures.path("tower-clipmodel/config.json"), CheckpointException::new)
                        .node()
                        .deepCopy();
        ((ObjectNode) n.get("vision_config")).put("patch_size", 5);
        Files.writeString(tmp.resolve("config.json"), n.toString());
        CheckpointException e = assertThrows(CheckpointException.class, () -> HfConfigReader.readVision(tmp));
        assertTrue(e.getMessage().contains("vision.image_size = 28 is invalid"), e.getMessage());
        ((ObjectNode) n.get("vision_config")).put("patch_size", "x");
        Files.writeString(tmp.resolve("config.json"), n.toString());
        e = assertThrows(CheckpointException.class, () -> HfConfigReader.readVision(tmp));
        assertTrue(e.getMessage().contains("key \"vision_config.patch_size\""), e.getMessage());
    }
}
