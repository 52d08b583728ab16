package io.share4v.jobs.shard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * spark-submit entry point:
 * {@code ShardJob [--config conf/shard.yaml] [--manifest F]... [--data-root D] [--tokenizer D] [--out D]
 * [--overwrite] [--set key=value]...} (a bare YAML path is taken as {@code --config}). The flags are the
 * manifest form of {@code bin/share4v shard}; the master comes from spark-submit, never from code.
 */
public final class ShardJob {
    private ShardJob() {}

    public static void main(String[] args) throws Exception {
        Path yaml = null;
        List<String> sets = new ArrayList<>();
        List<String> manifests = new ArrayList<>();
        Map<String, Object> keys = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--overwrite")) {
                keys.put("overwrite", true);
                continue;
            }
            if (!a.startsWith("--")) {
                yaml = Path.of(a);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--config" -> yaml = Path.of(v);
                case "--set" -> sets.add(v);
                case "--manifest" -> manifests.add(v);
                case "--data-root" -> keys.put("data_root", v);
                case "--tokenizer" -> keys.put("tokenizer_dir", v);
                case "--out" -> keys.put("output_dir", v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; known: --config --manifest "
                        + "--data-root --tokenizer --out --overwrite --set");
            }
        }
        if (!manifests.isEmpty()) {
            keys.put("manifests", manifests);
        }
        ShardConfig cfg = ShardConfig.load(yaml, keys, sets).validatedForRun();
        SparkSession spark = kryo(SparkSession.builder().appName("share4v-shard")).getOrCreate();
        try {
            System.out.print(ShardPipeline.run(spark, cfg).summary());
        } finally {
            spark.stop();
        }
    }

    /** Kryo with every shipped class registered (required), as the job is tested. */
    public static SparkSession.Builder kryo(SparkSession.Builder b) {
        return b.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrationRequired", "true")
                .config("spark.kryo.registrator", ShardKryoRegistrator.class.getName());
    }
}
