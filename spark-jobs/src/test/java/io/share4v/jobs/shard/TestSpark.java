package io.share4v.jobs.shard;

import io.share4v.data.manifest.DatasetManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One local[2] session per test class, Kryo registration required, as the job runs in production. */
final class TestSpark {
    /** Repository paths, relative to the spark-jobs module (Surefire's working directory). */
    static final Path SAMPLE =
            Path.of("../data-manifests/sample").toAbsolutePath().normalize();

    static final Path TOKENIZER =
            Path.of("../data-manifests/sample/tokenizer").toAbsolutePath().normalize();

    private TestSpark() {}

    static SparkSession start(String name) {
        return ShardJob.kryo(SparkSession.builder().master("local[2]").appName(name))
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config("spark.stage.maxConsecutiveAttempts", "1")
                .getOrCreate();
    }

    static List<DatasetManifest> sampleManifests() throws IOException {
        return List.of(
                DatasetManifest.load(SAMPLE.resolve("sample-pt.yaml")),
                DatasetManifest.load(SAMPLE.resolve("sample-mix.yaml")));
    }

    /** The sample config with {@code out} as output and the given extra keys. */
    static ShardConfig sampleConfig(Path out, Map<String, Object> extra) throws IOException {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("data_root", SAMPLE.toString());
        keys.put("tokenizer_dir", TOKENIZER.toString());
        keys.put("output_dir", out.toString());
        keys.put("chunk_records", 7);
        keys.putAll(extra);
        return ShardConfig.load(null, keys, List.of()).withDatasets(new ArrayList<>(sampleManifests()));
    }
}
