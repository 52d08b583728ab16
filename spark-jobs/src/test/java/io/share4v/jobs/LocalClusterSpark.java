package io.share4v.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A real two-executor cluster for tests: Spark's {@code local-cluster[2,1,1024]} starts a Master, two Workers and
 * two executor JVMs, so whatever a job ships crosses process boundaries as on a production cluster. Workers launch
 * executors with {@code $SPARK_HOME/jars} (SPARK_HOME and the mandatory SPARK_SCALA_VERSION come from surefire's
 * environment); the test's own class path (Spark, the jobs and their dependencies) is passed explicitly, so no
 * Spark installation is needed.
 */
public final class LocalClusterSpark {
    private LocalClusterSpark() {}

    /**
     * A session on a fresh two-executor cluster, returned once both executors have registered (a barrier stage
     * started before that would wait for slots); {@code builder} carries the test's own settings.
     */
    public static SparkSession start(SparkSession.Builder builder) throws IOException, InterruptedException {
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars")); // must exist, may be empty
        SparkSession cluster = builder.master("local-cluster[2,1,1024]")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .config("spark.stage.maxConsecutiveAttempts", "1")
                .getOrCreate();
        long deadline = System.currentTimeMillis() + 120_000;
        while (cluster.sparkContext().getExecutorMemoryStatus().size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(3, cluster.sparkContext().getExecutorMemoryStatus().size(), "driver + 2 executor JVMs");
        return cluster;
    }
}
