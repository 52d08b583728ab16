package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.share4v.jobs.LocalClusterSpark;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The ring across processes: Spark's {@code local-cluster[2,1,1024]} starts two executor JVMs, and the two barrier
 * tasks of one stage (one per executor) form the ring over TCP between them and all-reduce exactly; with GPU
 * resources configured as on a GPU cluster, each task reads the GPU Spark gave it.
 */
class BarrierRingClusterTest {
    @TempDir
    Path tmp;

    @Test
    void twoExecutorJvmsFormTheRingAndAllReduceExactly() throws Exception {
        // One fake GPU per worker and executor, found by a discovery script as on a GPU node; each task takes one.
        Path discovery = tmp.resolve("one-gpu.sh");
        Files.writeString(discovery, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"0\"]}'\n");
        discovery.toFile().setExecutable(true);
        SparkSession cluster = LocalClusterSpark.start(SparkSession.builder()
                .appName("barrier-ring-cluster")
                .config("spark.worker.resource.gpu.amount", "1")
                .config("spark.worker.resource.gpu.discoveryScript", discovery.toString())
                .config("spark.executor.resource.gpu.amount", "1")
                .config("spark.executor.resource.gpu.discoveryScript", discovery.toString())
                .config("spark.task.resource.gpu.amount", "1"));
        try {
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
            List<String> gpus = sc.parallelize(List.of(0, 1), 2)
                    .rdd()
                    .barrier()
                    .mapPartitions(new GpuTask(), false, ClassTag$.MODULE$.apply(String.class))
                    .toJavaRDD()
                    .collect();
            assertEquals(List.of("0", "0"), gpus, "each task was given its executor's one GPU");
        } finally {
            cluster.stop();
        }
    }

    /** Reports the GPU Spark gave the task. */
    static final class GpuTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
        @Override
        public Iterator<String> apply(Iterator<Integer> ignored) {
            String gpu = BarrierRing.gpuAddress(BarrierTaskContext.get()).orElse("none");
            return scala.collection.Iterator$.MODULE$.single(gpu);
        }
    }
}
