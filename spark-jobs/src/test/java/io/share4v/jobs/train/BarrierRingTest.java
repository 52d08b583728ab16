package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.collective.Partition;
import io.share4v.train.collective.TcpRingCollective;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/** Barrier tasks of a local Spark form the ring through one allGather and all-reduce exactly over it. */
class BarrierRingTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[4]")
                .appName("barrier-ring")
                .config("spark.ui.enabled", "false")
                .config("spark.stage.maxConsecutiveAttempts", "1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void barrierTasksAllReduceExactlyOverTheRing(int world) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> seeds = new ArrayList<>();
        for (int i = 0; i < world; i++) {
            seeds.add(i);
        }
        List<String> out = sc.parallelize(seeds, world)
                .rdd()
                .barrier()
                .mapPartitions(new RingTask(), false, ClassTag$.MODULE$.apply(String.class))
                .toJavaRDD()
                .collect();
        // rank r contributes r + 1 to every element: the sum is world (world + 1) / 2 everywhere, on every rank
        float want = world * (world + 1) / 2f;
        assertEquals(world, out.size());
        for (int r = 0; r < world; r++) {
            String report = out.get(r);
            assertEquals(r + " of " + world + ": " + want + " x 1001", report.substring(0, report.indexOf(" @")));
        }
    }

    @Test
    void theRingUsesTheExecutorsHostNotItsRpcPort() {
        assertEquals("localhost", BarrierRing.host("localhost:35645"));
        assertEquals("10.0.0.7", BarrierRing.host("10.0.0.7:1"));
        assertEquals("fe80::1", BarrierRing.host("[fe80::1]:7077"));
        assertThrows(IllegalArgumentException.class, () -> BarrierRing.host("nohost"));
    }

    @Test
    void rendezvousMessagesCarryAddressAndRankZerosToken() {
        String m = BarrierRing.Message.of(new InetSocketAddress("127.0.0.1", 4242), "dG9rZW4=");
        assertEquals(new InetSocketAddress("127.0.0.1", 4242), BarrierRing.Message.address(m));
        assertEquals("dG9rZW4=", BarrierRing.Message.token(m));
        String noToken = BarrierRing.Message.of(new InetSocketAddress("127.0.0.1", 4242), "");
        assertThrows(IllegalStateException.class, () -> BarrierRing.Message.token(noToken));
        assertThrows(IllegalStateException.class, () -> BarrierRing.Message.address("127.0.0.1 4242"));
    }

    /**
     * A barrier task: forms the ring, all-reduces 1001 elements of value rank + 1, reports what it holds and its
     * process: {@code "rank of world: value x 1001 @pid"}.
     */
    static final class RingTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
        @Override
        public Iterator<String> apply(Iterator<Integer> ignored) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            TcpRingCollective.Settings settings = TcpRingCollective.Settings.defaults()
                    .withConnectTimeout(Duration.ofSeconds(60))
                    .withIoTimeout(Duration.ofSeconds(30));
            try (TcpRingCollective ring = BarrierRing.form(ctx, settings)) {
                Backend backend = Backends.create("java");
                int n = 1001;
                Tensor v = backend.allocate(DType.FLOAT, n);
                float[] mine = new float[n];
                java.util.Arrays.fill(mine, ring.rank() + 1);
                backend.upload(v, mine);
                ring.allReduce(v, Partition.whole(n, ring.world()));
                float[] got = new float[n];
                backend.download(got, v);
                for (float x : got) {
                    if (x != got[0]) {
                        throw new IllegalStateException("rank " + ring.rank() + " holds " + x + " and " + got[0]);
                    }
                }
                String report = ring.rank() + " of " + ring.world() + ": " + got[0] + " x " + n + " @"
                        + ProcessHandle.current().pid();
                return scala.collection.Iterator$.MODULE$.single(report);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
