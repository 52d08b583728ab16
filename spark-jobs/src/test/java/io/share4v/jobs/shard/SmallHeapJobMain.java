package io.share4v.jobs.shard;

import io.share4v.data.image.AspectMode;
import io.share4v.data.manifest.DatasetManifest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The whole job on one text-only JSON in local[2] (for the forked small-heap test): {@code JSON OUT TOKENIZER}. */
public final class SmallHeapJobMain {
    private SmallHeapJobMain() {}

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("tokenizer_dir", args[2]);
        keys.put("output_dir", args[1]);
        keys.put("target_shard_mb", 32);
        ShardConfig cfg = ShardConfig.load(null, keys, List.of())
                .withDatasets(List.of(DatasetManifest.adHoc("big", json, json.getParent(), "v1", AspectMode.PAD)));
        SparkSession spark = ShardJob.kryo(
                        SparkSession.builder().master("local[2]").appName("small-heap"))
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            ShardResult r = ShardPipeline.run(spark, cfg);
            System.out.println("records_read=" + r.recordsRead() + " records_written=" + r.recordsWritten() + " shards="
                    + r.shards().size() + " peak_heap_mb=" + ShardBench.peakHeapMb());
        } finally {
            spark.stop();
        }
    }
}
