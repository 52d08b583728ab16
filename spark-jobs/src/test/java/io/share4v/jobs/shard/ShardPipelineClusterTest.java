package io.share4v.jobs.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardRow;
import io.share4v.jobs.LocalClusterSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample through a real cluster: Spark's {@code local-cluster[2,1,1024]} starts a Master, two Workers and
 * two executor JVMs, so everything the job ships (closures, Kryo-registered records, the per-JVM tokenizer)
 * crosses process boundaries as on a production cluster. The result must equal the local run's.
 */
class ShardPipelineClusterTest {
    @TempDir
    Path tmp;

    @Test
    void twoExecutorJvmsGiveTheSameShardsAsLocalMode() throws Exception {
        SparkSession cluster =
                LocalClusterSpark.start(ShardJob.kryo(SparkSession.builder().appName("shard-cluster-test")));
        ShardResult onCluster;
        try {
            onCluster = ShardPipeline.run(cluster, TestSpark.sampleConfig(tmp.resolve("cluster"), Map.of()));
        } finally {
            cluster.stop();
        }
        SparkSession local = TestSpark.start("shard-local-reference");
        ShardResult onLocal;
        try {
            onLocal = ShardPipeline.run(local, TestSpark.sampleConfig(tmp.resolve("local"), Map.of()));
        } finally {
            local.stop();
        }
        assertEquals(
                onLocal.summary()
                        .lines()
                        .filter(l -> !l.contains("time:") && !l.contains("->"))
                        .toList(),
                onCluster
                        .summary()
                        .lines()
                        .filter(l -> !l.contains("time:") && !l.contains("->"))
                        .toList());
        List<ShardRow> a = rows(tmp.resolve("local"));
        List<ShardRow> b = rows(tmp.resolve("cluster"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).id(), b.get(i).id());
            assertEquals(a.get(i).dataset(), b.get(i).dataset());
            assertEquals(
                    java.util.Arrays.toString(a.get(i).inputIds()),
                    java.util.Arrays.toString(b.get(i).inputIds()));
            assertEquals(
                    java.util.Arrays.toString(a.get(i).labels()),
                    java.util.Arrays.toString(b.get(i).labels()));
        }
    }

    private static List<ShardRow> rows(Path out) throws Exception {
        List<ShardRow> all = new ArrayList<>();
        for (Path f : ShardReader.shardFiles(out)) {
            all.addAll(ShardReader.readAll(f, false));
        }
        all.sort(Comparator.comparingLong(ShardRow::order));
        return all;
    }
}
