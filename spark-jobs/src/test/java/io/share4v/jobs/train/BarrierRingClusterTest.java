package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * The ring across processes: Spark's {@code local-cluster[2,1,1024]} starts two executor JVMs, and the two barrier
 * tasks of one stage (one per executor) form the ring over TCP between them and all-reduce exactly.
 */
class BarrierRingClusterTest {
    @Test
    void twoExecutorJvmsFormTheRingAndAllReduceExactly() throws Exception {
        // Workers launch executors with $SPARK_HOME/jars (SPARK_HOME and SPARK_SCALA_VERSION come from surefire's
        // environment); the test's class path is passed explicitly, so no Spark installation is needed.
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        SparkSession cluster = SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("barrier-ring-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .config("spark.stage.maxConsecutiveAttempts", "1")
                .getOrCreate();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (cluster.sparkContext().getExecutorMemoryStatus().size() < 3
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(3, cluster.sparkContext().getExecutorMemoryStatus().size(), "driver + 2 executor JVMs");
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(cluster.sparkContext());
            List<String> out = sc.parallelize(List.of(0, 1), 2)
                    .rdd()
                    .barrier()
                    .mapPartitions(new BarrierRingTest.RingTask(), false, ClassTag$.MODULE$.apply(String.class))
                    .toJavaRDD()
                    .collect();
            assertEquals(2, out.size());
            assertEquals(
                    "0 of 2: 3.0 x 1001", out.get(0).substring(0, out.get(0).indexOf(" @")));
            assertEquals(
                    "1 of 2: 3.0 x 1001", out.get(1).substring(0, out.get(1).indexOf(" @")));
            String pid0 = out.get(0).substring(out.get(0).indexOf(" @") + 2);
            String pid1 = out.get(1).substring(out.get(1).indexOf(" @") + 2);
            assertNotEquals(pid0, pid1, "the two ranks ran in different executor JVMs");
            assertNotEquals(String.valueOf(ProcessHandle.current().pid()), pid0, "rank 0 ran on an executor");
        } finally {
            cluster.stop();
        }
    }
}
