package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.jobs.shard.ShardJob;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.HfConfigReader;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.data.ModalityGrouping;
import io.share4v.train.data.ShardDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample run's inputs: a tiny model for the sample tokenizer and the stage's sample shards, made once. */
class SampleInputsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = REPO.resolve("data-manifests/sample");

    @TempDir
    Path tmp;

    @Test
    void theTinyFinetuneRunGetsAModelAndGroupedShardsItsCheckAccepts() throws Exception {
        TrainConfig cfg = TrainConfig.load(REPO.resolve("conf/tiny-finetune.yaml"), Map.of());
        SparkSession spark = ShardJob.kryo(SparkSession.builder())
                .master("local[2]")
                .appName("sample-inputs")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        Map<String, Object> keys;
        try {
            keys = SampleInputs.prepare(spark, cfg, SAMPLE, SAMPLE.resolve("tokenizer"), tmp);
            FileTime made = Files.getLastModifiedTime(tmp.resolve("shards-finetune/_manifest.json"));
            assertEquals(keys, SampleInputs.prepare(spark, cfg, SAMPLE, SAMPLE.resolve("tokenizer"), tmp));
            assertEquals(
                    made,
                    Files.getLastModifiedTime(tmp.resolve("shards-finetune/_manifest.json")),
                    "a resumed run reuses the inputs");
        } finally {
            spark.stop();
        }
        LlavaConfig model = HfConfigReader.readLlava(Path.of((String) keys.get("model.llm")), null);
        assertEquals(32000, model.llm().vocabSize());
        @SuppressWarnings("unchecked")
        List<String> shards = (List<String>) keys.get("data.shards");
        try (ShardDataset ds = ShardDataset.open(shards.get(0), new org.apache.hadoop.conf.Configuration())) {
            assertTrue(ds.rows() > 0, "the sample's rows");
            ModalityGrouping.requireMatches(
                    ds.manifests(), cfg.batch().workers(), cfg.batch().perDeviceBatchSize());
        }
    }
}
