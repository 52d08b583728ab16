package io.share4v.jobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.jobs.shard.ShardJob;
import io.share4v.jobs.train.SampleInputs;
import io.share4v.train.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library example runs as documented: both stages over the bundled sample with the tiny model, stage 2 starting
 * from stage 1's final model and trained tower.
 */
class PretrainThenFinetuneTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = REPO.resolve("data-manifests/sample");

    @TempDir
    Path tmp;

    @Test
    void trainsStageOneThenStageTwoFromItsResult() throws Exception {
        Path pretrain = tmp.resolve("pretrain.yaml");
        Path finetune = tmp.resolve("finetune.yaml");
        SparkSession inputs = ShardJob.kryo(SparkSession.builder())
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            writeSampleConfig(inputs, "conf/tiny-pretrain.yaml", pretrain);
            writeSampleConfig(inputs, "conf/tiny-finetune.yaml", finetune);
        } finally {
            inputs.stop();
        }
        Path out = tmp.resolve("out");
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        try {
            PretrainThenFinetune.main(new String[] {pretrain.toString(), finetune.toString(), out.toString()});
        } finally {
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        assertTrue(
                Files.isRegularFile(out.resolve("stage1/final/vision_tower/config.json")), "stage 1 trained the tower");
        assertTrue(Files.isRegularFile(out.resolve("stage2/final/config.json")));
        JsonNode stage2 = new ObjectMapper()
                .readTree(out.resolve("stage2/final/config.json").toFile());
        assertEquals(
                out.resolve("stage1/final/vision_tower").toString(),
                stage2.get("mm_vision_tower").asText(),
                "stage 2 ran on stage 1's tower");
    }

    /** The tiny config with the sample's shards and tiny model filled in, one step, as a file. */
    private void writeSampleConfig(SparkSession spark, String conf, Path to) throws Exception {
        TrainConfig base = TrainConfig.load(REPO.resolve(conf), Map.of());
        Map<String, Object> keys = new LinkedHashMap<>(
                SampleInputs.prepare(spark, base, SAMPLE, SAMPLE.resolve("tokenizer"), tmp.resolve("inputs")));
        keys.put("optimizer.max_steps", 1L);
        keys.put("run.backend", "java");
        Files.writeString(
                to, TrainConfig.load(REPO.resolve(conf), keys, Map.of()).asYaml());
    }
}
