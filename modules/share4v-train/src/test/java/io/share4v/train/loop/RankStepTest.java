package io.share4v.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.llava.Batch;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.train.collective.BucketPlan;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.collective.TcpRingCollective;
import io.share4v.train.config.LossNormalisation;
import io.share4v.train.data.BatchSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankStepTest {
    @Test
    void frozenParametersNeverChangeAndAreNeverSent() throws Exception {
        int steps = 2;
        List<List<Batch>> data = List.of(TinyRun.microBatches(1, 2, 2), TinyRun.microBatches(2, 2, 2));
        List<TinyRun.Rank> ranks = TinyRun.train(2, TinyRun.STAGE2, data, StepOptions.reference(), step -> 1e-3);
        float[] initial = TinyRun.floats(TinyRun.model(TinyRun.STAGE2, 2).params());
        BucketPlan p = ranks.get(0).buckets();
        long trainable = p.trainable().stream().mapToLong(Range::size).sum();
        assertTrue(trainable < p.size(), "stage 2 freezes the tower");
        for (TinyRun.Rank rank : ranks) {
            long changed = 0;
            for (int e = 0; e < initial.length; e++) {
                if (!trains(p, e)) {
                    assertEquals(initial[e], rank.params()[e], 0f, "frozen element " + e);
                } else {
                    changed += rank.params()[e] != initial[e] ? 1 : 0;
                }
            }
            assertTrue(changed > trainable / 2, "trainable elements moved: " + changed);
            // W = 2: the reduce-scatter sends the other rank's shard and the all-gather this rank's, so the
            // trainable elements once per half; plus the 6 numbers of the per-step sum (3 per half)
            assertEquals(steps * (trainable + 6) * Float.BYTES, rank.bytesSent(), "payload bytes sent");
        }
    }

    private static boolean trains(BucketPlan p, long element) {
        return p.trainable().stream().anyMatch(r -> r.start() <= element && element < r.end());
    }

    @Test
    void globalTokenMeanWeighsEveryTokenAlikeWhereMicroBatchMeanWeighsEveryMicroBatchAlike() throws Exception {
        Random r = new Random(3);
        // one micro-batch per rank, with 2 and 16 supervised tokens
        List<Batch> micro = List.of(TinyRun.batch(r, 1, 1), TinyRun.batch(r, 8, 8));
        LlavaModel reference = TinyRun.model(TinyRun.STAGE2, 2);
        CausalLmLoss.Result a = reference.forward(micro.get(0)).loss();
        CausalLmLoss.Result b = reference.forward(micro.get(1)).loss();
        assertEquals(2, a.tokens());
        assertEquals(16, b.tokens());
        double microMean = (a.mean() + b.mean()) / 2;
        double tokenMean = (a.sum() + b.sum()) / (a.tokens() + b.tokens());

        StepOptions options = StepOptions.reference();
        List<TinyRun.Rank> byMicro = TinyRun.train(2, TinyRun.STAGE2, List.of(micro), options, step -> 0);
        List<TinyRun.Rank> byToken = TinyRun.train(
                2, TinyRun.STAGE2, List.of(micro), options.withLoss(LossNormalisation.GLOBAL_TOKEN_MEAN), step -> 0);
        assertEquals(microMean, byMicro.get(0).metrics().get(0).loss(), 1e-5);
        assertEquals(tokenMean, byToken.get(0).metrics().get(0).loss(), 1e-5);
        assertEquals(18, byToken.get(1).metrics().get(0).supervisedTokens());

        float[] wantMicro = gradient(micro, 0.5, Double.NaN);
        float[] wantToken = gradient(micro, 1.0, 18);
        double differ = assertShardsHold(wantMicro, byMicro) + assertShardsHold(wantToken, byToken);
        double apart = 0;
        double largest = 0;
        for (int e = 0; e < wantMicro.length; e++) {
            apart = Math.max(apart, Math.abs(wantMicro[e] - wantToken[e]));
            largest = Math.max(largest, Math.abs(wantMicro[e]));
        }
        assertTrue(apart > 0.1 * largest, "the two normalisations give different gradients: " + apart);
        assertTrue(differ < 1e-5 * largest, "each matches its reference: " + differ);
    }

    /** The summed gradient of one model over {@code micro}, each backward for {@code scale * sum / normaliser}. */
    private static float[] gradient(List<Batch> micro, double scale, double normaliser) {
        LlavaModel m = TinyRun.model(TinyRun.STAGE2, 2);
        m.zeroGrad();
        for (Batch b : micro) {
            m.trainStep(b, scale, normaliser);
        }
        return TinyRun.floats(m.grads());
    }

    /** The largest difference between {@code want} and each rank's own shard of its reduced gradient. */
    private static double assertShardsHold(float[] want, List<TinyRun.Rank> ranks) {
        BucketPlan p = ranks.get(0).buckets();
        double worst = 0;
        for (int rank = 0; rank < ranks.size(); rank++) {
            for (Range range : p.shard(rank)) {
                for (long e = range.start(); e < range.end(); e++) {
                    worst = Math.max(
                            worst, Math.abs(want[(int) e] - ranks.get(rank).grads()[(int) e]));
                }
            }
        }
        return worst;
    }

    @Test
    void theFirstStepOfAWarmupUpdatesWithLearningRateZero() throws Exception {
        List<List<Batch>> data = List.of(TinyRun.microBatches(5, 2, 2), TinyRun.microBatches(6, 2, 2));
        float[] initial = TinyRun.floats(TinyRun.model(TinyRun.STAGE1, 2).params());
        List<TinyRun.Rank> first =
                TinyRun.train(2, TinyRun.STAGE1, data.subList(0, 1), StepOptions.reference(), TinyRun.warmup(2e-5, 3));
        StepMetrics m = first.get(0).metrics().get(0);
        assertEquals(0.0, m.lr());
        assertArrayEquals(initial, first.get(0).params(), "AdamW with lr 0 and weight decay 0 moves nothing");
        assertArrayEquals(initial, first.get(1).params());
        assertTrue(m.gradNorm() > 0, "the step had a gradient: " + m.gradNorm());
        assertEquals(TinyRun.ListSource.STALL_PER_STEP, m.dataStallNanos());
        assertEquals(4, m.samples());
        assertTrue(m.samplesPerSecond() > 0 && m.tokensPerSecond() > 0);
        assertTrue(m.computeNanos() > 0 && m.communicationNanos() > 0);
        assertTrue(m.computeNanos() + m.communicationNanos() <= m.stepNanos());

        List<TinyRun.Rank> two =
                TinyRun.train(2, TinyRun.STAGE1, data, StepOptions.reference(), TinyRun.warmup(2e-5, 3));
        assertEquals(2e-5 / 3, two.get(0).metrics().get(1).lr(), 1e-20);
        assertFalse(Arrays.equals(initial, two.get(0).params()), "step 1 updates with lr > 0");
    }

    @Test
    void theLossFallsOverStepsOnARepeatedBatch() throws Exception {
        List<Batch> batch = TinyRun.microBatches(9, 2, 2);
        List<TinyRun.Rank> ranks =
                TinyRun.train(2, TinyRun.STAGE2, Collections.nCopies(5, batch), StepOptions.reference(), step -> 1e-3);
        List<StepMetrics> m = ranks.get(0).metrics();
        for (StepMetrics other : ranks.get(1).metrics()) {
            StepMetrics mine = m.get((int) other.step());
            assertEquals(mine.loss(), other.loss(), 0.0, "every rank reports the same global loss");
            assertEquals(mine.gradNorm(), other.gradNorm(), 0.0);
            assertEquals(mine.supervisedTokens(), other.supervisedTokens());
        }
        for (int s = 1; s < m.size(); s++) {
            assertTrue(m.get(s).loss() < m.get(s - 1).loss(), "step " + s + ": " + m);
        }
        assertTrue(m.get(4).loss() < m.get(0).loss() - 0.5, m.toString());
    }

    @Test
    void clippingScalesTheSummedGradientToTheMaximumNorm() throws Exception {
        List<List<Batch>> data = List.of(TinyRun.microBatches(11, 4, 2));
        List<TinyRun.Rank> free = TinyRun.train(2, TinyRun.STAGE2, data, StepOptions.reference(), step -> 1e-3);
        StepMetrics unclipped = free.get(0).metrics().get(0);
        assertFalse(unclipped.clipped());
        assertEquals(unclipped.gradNorm(), norm(free), 1e-5 * unclipped.gradNorm());

        double max = unclipped.gradNorm() / 4;
        List<TinyRun.Rank> clipped =
                TinyRun.train(2, TinyRun.STAGE2, data, StepOptions.reference().withMaxGradNorm(max), step -> 1e-3);
        StepMetrics m = clipped.get(1).metrics().get(0);
        assertTrue(m.clipped());
        assertEquals(unclipped.gradNorm(), m.gradNorm(), 1e-6 * m.gradNorm(), "the norm is reported before clipping");
        assertEquals(max, norm(clipped), 1e-5 * max);
    }

    /** The global norm of the reduced gradient, each rank's own shard. */
    private static double norm(List<TinyRun.Rank> ranks) {
        BucketPlan p = ranks.get(0).buckets();
        double squares = 0;
        for (int rank = 0; rank < ranks.size(); rank++) {
            for (Range range : p.shard(rank)) {
                for (long e = range.start(); e < range.end(); e++) {
                    double g = ranks.get(rank).grads()[(int) e];
                    squares += g * g;
                }
            }
        }
        return Math.sqrt(squares);
    }

    @Test
    void aDeadRankFailsTheStepOnEveryRankNamingIt() throws Exception {
        int world = 3;
        int dead = 2;
        List<List<Batch>> data = List.of(TinyRun.microBatches(13, 3, 2), TinyRun.microBatches(14, 3, 2));
        Duration timeout = Duration.ofSeconds(5);
        TcpRingCollective.Settings settings = TinyRun.settings().withIoTimeout(timeout);
        try (LocalCluster cluster = LocalCluster.start(world, settings)) {
            List<Outcome> outcomes = cluster.run(c -> {
                BatchSource source = new TinyRun.ListSource(data, c.rank(), world);
                BatchSource dying = c.rank() != dead ? source : new DiesAtStep(source, 1);
                try (RankStep rs = new RankStep(
                        TinyRun.model(TinyRun.STAGE2, 2), c, dying, step -> 1e-3, StepOptions.reference())) {
                    rs.step(0);
                    long t0 = System.nanoTime();
                    try {
                        rs.step(1);
                        return new Outcome(null, 0);
                    } catch (StepFailure f) {
                        return new Outcome(f, (System.nanoTime() - t0) / 1_000_000);
                    }
                }
            });
            boolean named = false;
            for (int r = 0; r < world; r++) {
                StepFailure f = outcomes.get(r).failure();
                assertNotNull(f, "rank " + r + " must fail");
                assertEquals(1, f.step());
                assertEquals(r, f.rank());
                long ms = outcomes.get(r).millis();
                assertTrue(ms < timeout.toMillis(), "rank " + r + " failed after " + ms + " ms");
                if (r == dead) {
                    assertSame(DiesAtStep.DEATH, f.getCause());
                } else {
                    named |= f.getMessage().contains("rank " + dead + " (127.0.0.1:");
                }
            }
            assertTrue(named, "a survivor names the dead rank: " + outcomes);
        }
    }

    /** How a rank's step ended: its failure (null if none) after how many milliseconds. */
    private record Outcome(StepFailure failure, long millis) {}

    /** A source whose rank dies when it asks for the data of step {@code at}. */
    private record DiesAtStep(BatchSource source, long at) implements BatchSource {
        static final IllegalStateException DEATH = new IllegalStateException("injected death");

        @Override
        public List<Batch> microBatches(long step) {
            if (step == at) {
                throw DEATH;
            }
            return source.microBatches(step);
        }

        @Override
        public long stallNanos() {
            return source.stallNanos();
        }

        @Override
        public void close() {}
    }
}
