package io.share4v.jobs.shard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * spark-submit entry point: {@code ShardJob [conf/shard.yaml] [--set key=value]...}. The master comes
 * from spark-submit, never from code.
 */
public final class ShardJob {
    private ShardJob() {}

    public static void main(String[] args) throws Exception {
        Path yaml = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--set") && i + 1 < args.length) {
                sets.add(args[++i]);
            } else {
                yaml = Path.of(args[i]);
            }
        }
        ShardConfig cfg = ShardConfig.load(yaml, null, sets).validatedForRun();
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
