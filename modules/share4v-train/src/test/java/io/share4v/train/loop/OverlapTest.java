package io.share4v.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.llava.Batch;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.Tensor;
import io.share4v.train.collective.Collective;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.collective.Partition;
import io.share4v.train.collective.TcpRingCollective;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reducing the gradient buckets during the backward ({@link StepOptions#overlap}) gives the result of reducing them
 * after it, bit for bit; the buckets then go through the communication thread; a peer that dies in the middle of
 * the buckets fails the step on every rank at once.
 */
class OverlapTest {
    /** 16 KiB buckets: the tiny model's ~190 k trainable floats in about 45 buckets (stage 1). */
    private static final long SMALL_BUCKETS = 16 << 10;
    /** 1000 bytes = 250 floats, not a multiple of the 16-element alignment. */
    private static final long ODD_BUCKETS = 1000;

    static Stream<Arguments> stages() {
        return Stream.of(Arguments.of("stage 1", TinyRun.STAGE1), Arguments.of("stage 2", TinyRun.STAGE2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void overlapOnAndOffGiveBitIdenticalParametersAndMetrics(String stage, Trainable trainable) throws Exception {
        List<List<Batch>> steps = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            steps.add(TinyRun.microBatches(200 + s, 4, 2)); // W = 2: 2 micro-batches per rank
        }
        for (long bucket : new long[] {SMALL_BUCKETS, ODD_BUCKETS}) {
            StepOptions options = StepOptions.reference().withMaxGradNorm(1.0);
            List<TinyRun.Rank> off =
                    TinyRun.train(2, trainable, steps, options.withBuckets(bucket, false), TinyRun.warmup(1e-3, 1));
            List<TinyRun.Rank> on =
                    TinyRun.train(2, trainable, steps, options.withBuckets(bucket, true), TinyRun.warmup(1e-3, 1));
            assertTrue(
                    on.get(0).buckets().buckets().size() > 10,
                    "many buckets: " + on.get(0).buckets());
            long overlapped = 0;
            for (int r = 0; r < 2; r++) {
                String where = stage + ", buckets of " + bucket + " bytes, rank " + r;
                assertArrayEquals(off.get(r).params(), on.get(r).params(), "parameters, " + where);
                assertArrayEquals(off.get(r).grads(), on.get(r).grads(), "reduced gradients, " + where);
                for (int s = 0; s < steps.size(); s++) {
                    StepMetrics a = off.get(r).metrics().get(s);
                    StepMetrics b = on.get(r).metrics().get(s);
                    assertEquals(a.loss(), b.loss(), 0.0, "loss, step " + s + ", " + where);
                    assertEquals(a.gradNorm(), b.gradNorm(), 0.0, "grad norm, step " + s + ", " + where);
                    assertEquals(0, a.overlappedCommunicationNanos(), "nothing overlaps without overlap");
                    assertTrue(b.overlappedCommunicationNanos() >= 0);
                    assertTrue(b.communicationNanos() > 0, "the all-gather is always exposed");
                    overlapped += b.overlappedCommunicationNanos();
                }
            }
            System.out.printf(
                    "overlap, %s, %d buckets of %d bytes: %.2f ms of reduce-scatter hidden behind the backward"
                            + " over 3 steps x 2 ranks%n",
                    stage, on.get(0).buckets().buckets().size(), bucket, overlapped / 1e6);
        }
    }

    @Test
    void withOverlapTheBucketsAreReducedOnTheCommunicationThreadInOrder() throws Exception {
        List<List<Batch>> steps = List.of(TinyRun.microBatches(300, 4, 2));
        for (boolean overlap : new boolean[] {false, true}) {
            StepOptions options = StepOptions.reference().withBuckets(SMALL_BUCKETS, overlap);
            try (LocalCluster cluster = LocalCluster.start(2, TinyRun.settings())) {
                List<List<String>> calls = cluster.run(c -> {
                    Watched watched = new Watched(c, 0);
                    try (RankStep rs = new RankStep(
                            TinyRun.model(TinyRun.STAGE1, 2),
                            watched,
                            new TinyRun.ListSource(steps, c.rank(), 2),
                            step -> 1e-3,
                            options)) {
                        rs.step(0);
                        List<Partition> buckets = rs.buckets().buckets();
                        assertEquals(buckets, watched.reduced, "every bucket once, topmost first");
                        return watched.threads;
                    }
                });
                for (List<String> threads : calls) {
                    for (String t : threads) {
                        assertEquals(overlap, t.endsWith("-gradient-buckets"), "overlap " + overlap + ": " + t);
                    }
                }
            }
        }
    }

    @Test
    void aPeerDyingInTheMiddleOfTheBucketsFailsTheStepOnBothRanksPromptly() throws Exception {
        Duration timeout = Duration.ofSeconds(5);
        TcpRingCollective.Settings settings = TinyRun.settings().withIoTimeout(timeout);
        List<List<Batch>> steps = List.of(TinyRun.microBatches(400, 4, 2));
        StepOptions options = StepOptions.reference().withBuckets(SMALL_BUCKETS, true);
        try (LocalCluster cluster = LocalCluster.start(2, settings)) {
            List<Outcome> outcomes = cluster.run(c -> {
                Collective collective = c.rank() == 1 ? new Watched(c, 5) : c;
                try (RankStep rs = new RankStep(
                        TinyRun.model(TinyRun.STAGE1, 2),
                        collective,
                        new TinyRun.ListSource(steps, c.rank(), 2),
                        step -> 1e-3,
                        options)) {
                    long t0 = System.nanoTime();
                    try {
                        rs.step(0);
                        return new Outcome(null, 0);
                    } catch (StepFailure f) {
                        return new Outcome(f, (System.nanoTime() - t0) / 1_000_000);
                    }
                }
            });
            for (int r = 0; r < 2; r++) {
                StepFailure f = outcomes.get(r).failure();
                assertNotNull(f, "rank " + r + " must fail");
                assertEquals(0, f.step());
                assertTrue(outcomes.get(r).millis() < timeout.toMillis(), "rank " + r + ": " + outcomes.get(r));
            }
            assertSame(Watched.DEATH, outcomes.get(1).failure().getCause());
            String survivor = outcomes.get(0).failure().getMessage();
            assertTrue(survivor.contains("reduceScatter") && survivor.contains("rank 1 (127.0.0.1:"), survivor);
        }
    }

    /** How a rank's step ended: its failure (null if none) after how many milliseconds. */
    private record Outcome(StepFailure failure, long millis) {}

    /**
     * A rank's collective that records each reduce-scatter's bucket and thread, and dies (closes the collective and
     * throws) at its {@code dieAt}-th reduce-scatter (0: never).
     */
    private static final class Watched implements Collective {
        static final IllegalStateException DEATH = new IllegalStateException("injected death in a bucket");

        final Collective ring;
        final int dieAt;
        final List<Partition> reduced = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        Watched(Collective ring, int dieAt) {
            this.ring = ring;
            this.dieAt = dieAt;
        }

        @Override
        public void reduceScatter(Tensor flat, Partition partition) {
            reduced.add(partition);
            threads.add(Thread.currentThread().getName());
            if (reduced.size() == dieAt) {
                ring.close();
                throw DEATH;
            }
            ring.reduceScatter(flat, partition);
        }

        @Override
        public int rank() {
            return ring.rank();
        }

        @Override
        public int world() {
            return ring.world();
        }

        @Override
        public void allGather(Tensor flat, Partition partition) {
            ring.allGather(flat, partition);
        }

        @Override
        public void allReduce(Tensor flat, Partition partition) {
            ring.allReduce(flat, partition);
        }

        @Override
        public void barrier() {
            ring.barrier();
        }

        @Override
        public long bytesSent() {
            return ring.bytesSent();
        }

        @Override
        public void close() {
            ring.close();
        }
    }
}
