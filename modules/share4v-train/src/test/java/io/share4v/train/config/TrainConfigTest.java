package io.share4v.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import io.share4v.model.llava.Trainable;
import io.share4v.train.plan.BatchPlan;
import io.share4v.train.plan.LastBatch;
import io.share4v.train.schedule.LrScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
    private static final Path CONF = Path.of("../../conf").toAbsolutePath().normalize();

    private static TrainConfig conf(String name) throws IOException {
        return TrainConfig.load(CONF.resolve(name), Map.of());
    }

    private static TrainConfig tinyWith(Map<String, String> sets) throws IOException {
        return TrainConfig.load(CONF.resolve("tiny-pretrain.yaml"), sets);
    }

    @Test
    void everyConfFileLoads() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(CONF)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(pretrain|finetune|tiny)-.*\\.yaml"))
                    .sorted()
                    .toList();
        }
        assertEquals(
                List.of(
                        "finetune-13b.yaml",
                        "finetune-7b.yaml",
                        "pretrain-13b.yaml",
                        "pretrain-7b.yaml",
                        "tiny-finetune.yaml",
                        "tiny-pretrain.yaml"),
                names);
        for (String n : names) {
            assertEquals(n.contains("pretrain") ? Stage.PRETRAIN : Stage.FINETUNE, conf(n).stage(), n);
        }
    }

    @Test
    void stageOneFilesHoldTheReferencesValues() throws IOException {
        for (String n : List.of("pretrain-7b.yaml", "pretrain-13b.yaml")) {
            TrainConfig c = conf(n);
            assertEquals(256, c.batch().globalBatchSize(), n);
            assertEquals(16, c.batch().perDeviceBatchSize(), n);
            assertEquals(16, c.batch().workers(), n);
            assertEquals(1, c.batch().shape().accumulation(), n);
            assertEquals(LastBatch.REPEAT, c.batch().lastBatch(), n);
            assertCommonOptimizer(c, n);
            assertEquals(2048, c.data().modelMaxLength(), n);
            assertEquals(AspectMode.SQUARE, c.data().imageAspectRatio(), n);
            assertEquals(Template.PLAIN, c.data().template(), n);
            assertFalse(c.data().groupByModalityLength(), n);
            assertEquals(4, c.data().decodeThreads(), n);
            assertEquals(12, c.model().tuneVitFromLayer(), n);
            assertEquals(-2, c.model().mmVisionSelectLayer(), n);
            assertEquals("mlp2x_gelu", c.model().mmProjectorType(), n);
            assertTrue(c.model().pretrainMmMlpAdapter().endsWith("mm_projector.bin"), n);
            assertEquals(Trainable.stage1(12), c.trainable(), n);
            assertEquals(1, c.run().saveTotalLimit(), n);
        }
        assertTrue(conf("pretrain-7b.yaml").model().llm().contains("vicuna-7b-v1.5"));
        assertTrue(conf("pretrain-13b.yaml").model().llm().contains("vicuna-13b-v1.5"));
        assertTrue(conf("pretrain-13b.yaml").model().pretrainMmMlpAdapter().contains("vicuna-13b-v1.5"));
    }

    @Test
    void stageTwoFilesHoldTheReferencesValues() throws IOException {
        for (String n : List.of("finetune-7b.yaml", "finetune-13b.yaml")) {
            TrainConfig c = conf(n);
            assertEquals(128, c.batch().globalBatchSize(), n);
            assertEquals(8, c.batch().perDeviceBatchSize(), n);
            assertEquals(16, c.batch().workers(), n);
            assertCommonOptimizer(c, n);
            assertEquals(2048, c.data().modelMaxLength(), n);
            assertEquals(AspectMode.PAD, c.data().imageAspectRatio(), n);
            assertEquals(Template.V1, c.data().template(), n);
            assertTrue(c.data().groupByModalityLength(), n);
            assertNull(c.model().tuneVitFromLayer(), n); // the vision tower is frozen
            assertNull(c.model().pretrainMmMlpAdapter(), n);
            assertEquals(Trainable.stage2(), c.trainable(), n);
            assertEquals(-2, c.model().mmVisionSelectLayer(), n);
            assertEquals("mlp2x_gelu", c.model().mmProjectorType(), n);
            assertTrue(c.model().visionTower().endsWith("/vision_tower"), n);
        }
        assertTrue(conf("finetune-13b.yaml").model().llm().contains("13b"));
    }

    private static void assertCommonOptimizer(TrainConfig c, String n) {
        OptimizerConfig o = c.optimizer();
        assertEquals(2e-5, o.lr(), n);
        assertEquals(0.9, o.adamBeta1(), n);
        assertEquals(0.999, o.adamBeta2(), n);
        assertEquals(1e-8, o.adamEpsilon(), n);
        assertEquals(0.0, o.weightDecay(), n);
        assertNull(o.maxGradNorm(), n);
        assertEquals(0.03, o.warmupRatio(), n);
        assertEquals(LrScheduler.COSINE, o.lrScheduler(), n);
        assertEquals(1, o.numTrainEpochs(), n);
        assertNull(o.maxSteps(), n);
        assertEquals(LossNormalisation.MICRO_BATCH_MEAN, c.loss().normalisation(), n);
        assertEquals(42, c.run().seed(), n);
        assertTrue(c.run().recompute(), n);
    }

    @Test
    void tinyFilesAreSmallAndNeedTheirShardsAndModelsGiven() throws IOException {
        for (String n : List.of("tiny-pretrain.yaml", "tiny-finetune.yaml")) {
            TrainConfig c = conf(n);
            assertEquals(8, c.batch().globalBatchSize(), n);
            assertEquals(2, c.batch().perDeviceBatchSize(), n);
            assertEquals(2, c.batch().workers(), n);
            assertEquals(2, c.batch().shape().accumulation(), n);
            assertFalse(Path.of(c.run().outputDir()).isAbsolute(), n);
            assertMessage(c::validatedForRun, "model.llm = null is invalid");
            TrainConfig given = TrainConfig.load(
                    CONF.resolve(n),
                    Map.of("model.llm", "m", "model.vision_tower", "m/vision_tower", "data.shards", "[s1, s2]"));
            assertEquals(List.of("s1", "s2"), given.validatedForRun().data().shards());
            // the sample's 10 (stage 1) / 14 (stage 2) rows: 2 steps per epoch, 2 epochs
            BatchPlan plan = given.batchPlan(n.contains("pretrain") ? 10 : 14);
            assertEquals(4, plan.steps());
            assertEquals(0.0, given.lrSchedule(plan.steps()).lr(0));
        }
        assertMessage(
                () -> TrainConfig.load(CONF.resolve("tiny-finetune.yaml"), Map.of("model.llm", "m"))
                        .validatedForRun(),
                "model.vision_tower = null");
        assertMessage(
                () -> tinyWith(Map.of("model.llm", "m", "model.vision_tower", "v"))
                        .validatedForRun(),
                "data.shards = [] is invalid");
    }

    @Test
    void laterLayersWinKeyByKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                stage: pretrain
                model: {tune_vit_from_layer: 3}
                data: {template: plain, decode_threads: 3}
                batch: {global_batch_size: 8, per_device_batch_size: 2}
                optimizer: {lr: 1.0e-3, max_steps: 9}
                """);
        TrainConfig file = TrainConfig.load(f, null);
        assertEquals(3, file.data().decodeThreads());
        assertEquals(2048, file.data().modelMaxLength()); // the group's other keys keep their defaults
        assertEquals(1, file.batch().workers());
        assertEquals(1e-3, file.optimizer().lr());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("batch.workers", 4);
        options.put("run.seed", 7L);
        TrainConfig layered = TrainConfig.load(f, options, Map.of("run.seed", "8", "optimizer.lr", "2.0e-4"));
        assertEquals(4, layered.batch().workers());
        assertEquals(1, layered.batch().shape().accumulation());
        assertEquals(8, layered.run().seed());
        assertEquals(2e-4, layered.optimizer().lr());
        assertEquals(9, layered.batchPlan(100).steps()); // max_steps overrides the epoch's 13
        // null unsets a nullable key; data.shards takes a YAML list
        TrainConfig unset = TrainConfig.load(f, Map.of("optimizer.max_steps", "null", "data.shards", "[a, 'b c']"));
        assertNull(unset.optimizer().maxSteps());
        assertEquals(13, unset.batchPlan(100).steps());
        assertEquals(List.of("a", "b c"), unset.data().shards());
    }

    @Test
    void theResolvedConfigRoundTripsThroughItsYaml(@TempDir Path dir) throws IOException {
        for (String n : List.of("pretrain-7b.yaml", "finetune-13b.yaml", "tiny-finetune.yaml")) {
            TrainConfig c = TrainConfig.load(CONF.resolve(n), Map.of("optimizer.max_grad_norm", "1.0"));
            Path written = dir.resolve(n);
            Files.writeString(written, c.asYaml());
            assertEquals(c, TrainConfig.load(written, Map.of()), n);
            assertEquals(c, TrainConfig.fromYaml(c.asYaml()), n + " as the driver ships it to the workers");
            assertEquals(
                    new ArrayList<>(TrainConfig.defaults().keySet()),
                    new ArrayList<>(c.asKeys().keySet()));
        }
        Map<String, Object> keys = conf("finetune-7b.yaml").asKeys();
        assertEquals("finetune", keys.get("stage"));
        assertEquals("pad", keys.get("data.image_aspect_ratio"));
        assertEquals(128, keys.get("batch.global_batch_size"));
        assertEquals("repeat", keys.get("batch.last_batch"));
    }

    @Test
    void errorsNameTheKey(@TempDir Path dir) throws IOException {
        Map<String, String> ok = Map.of();
        assertEquals(Stage.PRETRAIN, tinyWith(ok).stage());
        assertMessage(
                () -> tinyWith(Map.of(
                        "batch.global_batch_size", "250", "batch.per_device_batch_size", "16", "batch.workers", "4")),
                "train config: global_batch_size = 250 is invalid: expected a multiple of per_device_batch_size"
                        + " × workers = 16 × 4 = 64");
        assertMessage(() -> tinyWith(Map.of("batch.wokers", "2")), "unknown key 'batch.wokers'");
        assertMessage(() -> tinyWith(Map.of("batch.workers", "two")), "batch.workers");
        assertMessage(
                () -> tinyWith(Map.of("optimizer.lr_scheduler", "linear")),
                "optimizer.lr_scheduler = linear is invalid: expected cosine or constant");
        assertMessage(
                () -> tinyWith(Map.of("batch.last_batch", "pad")),
                "batch.last_batch = pad is invalid: expected repeat or drop");
        assertMessage(() -> tinyWith(Map.of("loss.normalisation", "sum")), "loss.normalisation = sum");
        assertMessage(
                () -> tinyWith(Map.of("data.image_aspect_ratio", "crop")),
                "data.image_aspect_ratio = crop is invalid: expected pad or square");
        assertMessage(() -> tinyWith(Map.of("optimizer.lr", "0.0")), "optimizer.lr = 0.0 is invalid");
        assertMessage(() -> tinyWith(Map.of("optimizer.warmup_ratio", "1.5")), "optimizer.warmup_ratio = 1.5");
        assertMessage(
                () -> tinyWith(Map.of("optimizer.lr_scheduler", "constant")),
                "optimizer.warmup_ratio = 0.03 is invalid: expected 0 with lr_scheduler constant");
        assertMessage(() -> tinyWith(Map.of("optimizer.max_grad_norm", "-1.0")), "optimizer.max_grad_norm = -1.0");
        assertMessage(() -> tinyWith(Map.of("model.mm_projector_type", "mlp")), "model.mm_projector_type = mlp");
        assertMessage(() -> tinyWith(Map.of("data.model_max_length", "8")), "data.model_max_length = 8");
        assertMessage(() -> tinyWith(Map.of("run.save_every", "0")), "run.save_every = 0");
        assertMessage(
                () -> tinyWith(Map.of("run.eval_every", "5")),
                "run.eval_every = 5 is invalid: expected null unless data.eval_shards");
        assertMessage(
                () -> tinyWith(Map.of("optimizer.max_steps", "3", "run.stop_after", "4")),
                "run.stop_after = 4 is invalid: expected <= optimizer.max_steps = 3");
        assertMessage(
                () -> tinyWith(Map.of("collective.io_timeout", "5 min")),
                "collective.io_timeout = 5 min is invalid: expected a positive duration such as 500ms, 30s, 5m or 2h");
        assertMessage(() -> tinyWith(Map.of("collective.io_timeout", "300")), "key 'collective.io_timeout'");
        assertMessage(
                () -> tinyWith(Map.of("model.tune_vit_from_layer", "null")),
                "model.tune_vit_from_layer = null is invalid: expected the first trained vision layer");
        // stage 2 freezes the tower and takes its projector from the stage-1 checkpoint
        Path finetune = CONF.resolve("tiny-finetune.yaml");
        assertMessage(
                () -> TrainConfig.load(finetune, Map.of("model.tune_vit_from_layer", "12")),
                "model.tune_vit_from_layer = 12 is invalid: expected null in stage finetune");
        assertMessage(
                () -> TrainConfig.load(finetune, Map.of("model.pretrain_mm_mlp_adapter", "p.bin")),
                "model.pretrain_mm_mlp_adapter = p.bin is invalid");
        // keys without a default must be given
        assertMessage(() -> TrainConfig.load(null, Map.of()), "data.template = null is invalid: expected plain or v1");
        Map<String, String> required = new LinkedHashMap<>(Map.of("data.template", "v1"));
        assertMessage(() -> TrainConfig.load(null, required), "batch.global_batch_size = null is invalid");
        required.put("batch.global_batch_size", "8");
        assertMessage(() -> TrainConfig.load(null, required), "batch.per_device_batch_size = null is invalid");
        required.put("batch.per_device_batch_size", "2");
        assertMessage(() -> TrainConfig.load(null, required), "optimizer.lr = null is invalid");
        required.put("optimizer.lr", "1.0e-3");
        assertMessage(() -> TrainConfig.load(null, required), "stage = null is invalid: expected pretrain or finetune");
        required.put("stage", "finetune");
        assertEquals(Trainable.stage2(), TrainConfig.load(null, required).trainable());

        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "stage: pretrain\nmodel:\n  lm: x\n");
        assertMessage(() -> TrainConfig.load(f, null), "config file " + f + ": unknown key 'model.lm'");
        Files.writeString(f, "stage: pretrain\nmodel: 3\n");
        assertMessage(() -> TrainConfig.load(f, null), "key 'model' is a group: expected a mapping of model.llm");
        Files.writeString(f, "stage: pretrain\nstage: finetune\n");
        assertThrows(IOException.class, () -> TrainConfig.load(f, null));
        Files.writeString(f, "stage: pretrain\ndata: {template: plain}\nbatch: {global_batch_size: \"8\"}\n");
        assertMessage(() -> TrainConfig.load(f, null), "batch.global_batch_size");
    }

    @Test
    void collectiveTimeoutsBecomeTheRingsSettings() throws IOException {
        CollectiveConfig c = tinyWith(Map.of("collective.io_timeout", "1500ms", "collective.connect_timeout", "2h"))
                .collective();
        assertEquals(Duration.ofMillis(1500), c.settings().ioTimeout());
        assertEquals(Duration.ofHours(2), c.settings().connectTimeout());
        assertEquals(
                Duration.ofMinutes(5),
                conf("pretrain-7b.yaml").collective().settings().ioTimeout());
    }

    @Test
    void gradientBucketsDefaultToDdpsTwentyFiveMibReducedDuringTheBackward() throws IOException {
        CollectiveConfig c = conf("pretrain-7b.yaml").collective();
        assertEquals(25L << 20, c.bucketBytes());
        assertTrue(c.overlap());
        CollectiveConfig small = tinyWith(Map.of("collective.bucket_mb", "0.5", "collective.overlap", "false"))
                .collective();
        assertEquals(1L << 19, small.bucketBytes());
        assertFalse(small.overlap());
        assertMessage(
                () -> tinyWith(Map.of("collective.bucket_mb", "0")),
                "collective.bucket_mb = 0.0 is invalid: expected a size in MiB, > 0 and <= 65536");
        assertMessage(() -> tinyWith(Map.of("collective.overlap", "sometimes")), "collective.overlap");
    }

    private static void assertMessage(Executable e, String expected) {
        Exception x = assertThrows(Exception.class, e);
        assertTrue(x.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + x.getMessage());
    }
}
