package io.share4v.train.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.CausalLmLoss;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.TinyLlava;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.collective.TcpRingCollective;
import io.share4v.train.data.BatchSource;
import io.share4v.train.data.Collator;
import io.share4v.train.data.TestShards;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The validation loss of the tiny random ShareGPT4V over 11 held-out rows in micro-batches of 2 (6 micro-batches,
 * the last of 1 row), computed by 1 to 7 ranks over loopback.
 */
class ValidationLossTest {
    private static final int ROWS = 11;
    private static final int MICRO = 2;
    private static final double TOLERANCE = 1e-6;
    private static final LlavaConfig CONFIG = TinyLlava.config(4096);

    /** The split's micro-batches in global order, as {@link EvalPlan} cuts them. */
    private static List<Batch> microBatches;

    @BeforeAll
    static void collate() throws IOException {
        Collator collator = new Collator(
                2048,
                "v1",
                ClipImageProcessor.Config.clip336(AspectMode.PAD)
                        .withSize(CONFIG.vision().imageSize()),
                java.util.Map.of());
        var rows = TestShards.rows(ROWS, TestShards.Facts.stage2());
        microBatches = new ArrayList<>();
        for (int first = 0; first < ROWS; first += MICRO) {
            microBatches.add(collator.collate(rows.subList(first, Math.min(ROWS, first + MICRO))));
        }
    }

    private static LlavaModel model() {
        LlavaModel m = new LlavaModel(
                CONFIG,
                LlavaModel.Options.of(MICRO, 8 + CONFIG.imageTokens(), MICRO, Trainable.stage2())
                        .withRecompute(true),
                Tensors.java());
        TinyLlava.randomInit(m.layout(), m.backend(), m.params(), 3);
        return m;
    }

    /** One rank's micro-batches of {@code plan}, looked up in {@link #microBatches}. */
    private record PlanSource(EvalPlan plan, int rank) implements BatchSource {
        @Override
        public List<Batch> microBatches(long step) {
            return Arrays.stream(plan.rows(step, rank))
                    .map(rows -> microBatches.get((int) (rows[0] / MICRO)))
                    .toList();
        }

        @Override
        public long stallNanos() {
            return 0;
        }

        @Override
        public void close() {}
    }

    /** Two passes on {@code world} ranks; every rank's results. */
    private static List<List<EvalMetrics>> evaluate(int world) throws IOException {
        TcpRingCollective.Settings settings = TcpRingCollective.Settings.defaults()
                .withConnectTimeout(Duration.ofSeconds(20))
                .withIoTimeout(Duration.ofSeconds(20));
        try (LocalCluster cluster = LocalCluster.start(world, settings)) {
            return cluster.run(c -> {
                EvalPlan plan = new EvalPlan(ROWS, MICRO, world, 2);
                try (ValidationLoss v = new ValidationLoss(model(), c, new PlanSource(plan, c.rank()), plan)) {
                    List<EvalMetrics> passes = List.of(v.evaluate(10), v.evaluate(20));
                    assertThrows(IllegalStateException.class, () -> v.evaluate(30));
                    return passes;
                }
            });
        }
    }

    @Test
    void oneRankComputesTheTokenMeanAndHfsBatchSizeWeightedMean() throws IOException {
        LlavaModel m = model();
        double lossSum = 0;
        long tokens = 0;
        double weightedMeans = 0;
        long rows = 0;
        for (Batch b : microBatches) {
            CausalLmLoss.Result r = m.forward(b).loss();
            lossSum += r.sum();
            tokens += r.tokens();
            weightedMeans += r.mean() * b.inputIds().length;
            rows += b.inputIds().length;
        }
        EvalMetrics e = evaluate(1).get(0).get(0);
        assertEquals(10, e.step());
        assertEquals(ROWS, e.evalSamples());
        assertEquals(microBatches.size(), e.evalMicroBatches());
        assertEquals(tokens, e.evalTokens());
        assertEquals(lossSum / tokens, e.evalLoss(), TOLERANCE * e.evalLoss());
        assertEquals(weightedMeans / rows, e.evalLossBatchMean(), TOLERANCE * e.evalLoss());
        assertTrue(Math.abs(e.evalLoss() - e.evalLossBatchMean()) > 1e-4, "rows differ in supervised tokens");
    }

    @Test
    void everyWorldSizeGivesTheNumbersOfOneRank() throws IOException {
        EvalMetrics one = evaluate(1).get(0).get(0);
        for (int world : new int[] {2, 3, 7}) { // shares of 3+3, 2+2+2, and 0 or 1 micro-batch per rank
            List<List<EvalMetrics>> ranks = evaluate(world);
            for (List<EvalMetrics> rank : ranks) {
                for (EvalMetrics e : rank) {
                    String what = "W=" + world + ": " + e;
                    assertEquals(one.evalLoss(), e.evalLoss(), TOLERANCE * one.evalLoss(), what);
                    assertEquals(one.evalLossBatchMean(), e.evalLossBatchMean(), TOLERANCE * one.evalLoss(), what);
                    assertEquals(one.evalTokens(), e.evalTokens(), what);
                    assertEquals(one.evalSamples(), e.evalSamples(), what);
                    assertEquals(one.evalMicroBatches(), e.evalMicroBatches(), what);
                }
                assertEquals(rank.get(0).evalLoss(), rank.get(1).evalLoss(), 0.0, "a second pass repeats the first");
                assertEquals(ranks.get(0).get(0).evalLoss(), rank.get(0).evalLoss(), 0.0, "every rank the same");
            }
        }
    }

    @Test
    void validationWritesNoGradientAndChangesNoParameterSoTrainingIsUndisturbed() throws IOException {
        LlavaModel plain = model();
        LlavaModel validated = model();
        float[] before = Tensors.floats(validated.params());
        EvalPlan plan = new EvalPlan(ROWS, MICRO, 1, 1);
        try (LocalCluster cluster = LocalCluster.start(1, TcpRingCollective.Settings.defaults())) {
            cluster.run(c -> new ValidationLoss(validated, c, new PlanSource(plan, 0), plan).evaluate(0));
        }
        assertArrayEquals(before, Tensors.floats(validated.params()), "parameters only read");
        float[] grads = Tensors.floats(validated.grads());
        assertArrayEquals(new float[grads.length], grads, "no gradient written");
        Batch next = microBatches.get(1);
        double plainLoss = plain.trainStep(next).mean();
        double validatedLoss = validated.trainStep(next).mean();
        assertEquals(plainLoss, validatedLoss, 0.0, "the next training step's loss, bitwise");
        assertArrayEquals(Tensors.floats(plain.grads()), Tensors.floats(validated.grads()), "and its gradients");
    }
}
