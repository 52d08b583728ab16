package io.share4v.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.llava.Batch;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * N workers = 1 worker: at equal global batch (8) and micro-batch (2), W = 1, 2 and 4 workers (accumulation 4, 2
 * and 1) give the same parameters after 3 steps, in both stages' trainable scopes.
 *
 * <p>Not bitwise (the float additions of micro-batch gradients group differently; see the package note): "the
 * same" is measured over the trained elements as {@code max |p_W - p_1| / max |p_1|} &lt;= 1e-6 and the L2 relative
 * difference &lt;= 1e-6. Per element it can be worse: AdamW divides each gradient by its own running magnitude, so
 * where a gradient is rounding noise (the tower's attention key bias, whose true gradient is exactly 0 because
 * softmax ignores a per-query constant) or nearly cancels, a last-bit difference becomes a difference of order
 * lr. The test prints the worst tensor ({@code max |p_W - p_1| / max |p_1|} within it), the worst element's own
 * relative difference and how many elements are bitwise equal.
 */
class WorkerEquivalenceTest {
    private static final int STEPS = 3;
    private static final int GLOBAL = 8;
    private static final int MICRO = 2;
    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> stages() {
        return Stream.of(Arguments.of("stage 1", TinyRun.STAGE1), Arguments.of("stage 2", TinyRun.STAGE2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void nWorkersGiveTheParametersOfOneWorker(String stage, Trainable trainable) throws Exception {
        List<List<Batch>> steps = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            steps.add(TinyRun.microBatches(100 + s, GLOBAL / MICRO, MICRO));
        }
        StepOptions options = StepOptions.reference();
        List<TinyRun.Rank> one = TinyRun.train(1, trainable, steps, options, TinyRun.warmup(1e-3, 1));
        float[] want = one.get(0).params();
        float[] initial = TinyRun.floats(TinyRun.model(trainable, MICRO).params());
        ParamLayout layout = TinyRun.model(trainable, MICRO).layout();
        for (int world : new int[] {2, 4}) {
            List<TinyRun.Rank> ranks = TinyRun.train(world, trainable, steps, options, TinyRun.warmup(1e-3, 1));
            long optimizerBytes = 0;
            for (int r = 0; r < world; r++) {
                assertArrayEquals(ranks.get(0).params(), ranks.get(r).params(), "rank " + r + " vs rank 0, W=" + world);
                optimizerBytes = Math.max(optimizerBytes, ranks.get(r).optimizerBytes());
            }
            long unsharded = one.get(0).optimizerBytes();
            System.out.printf(
                    "optimizer state, %s, W=%d: %d bytes on the largest rank = %.4f of one worker's %d%n",
                    stage, world, optimizerBytes, optimizerBytes / (double) unsharded, unsharded);
            assertTrue(optimizerBytes * world <= unsharded * 1.001, "sharded optimizer memory ~ 1/W");
            float[] got = ranks.get(0).params();
            double squares = 0;
            double squaredDifferences = 0;
            double largest = 0;
            double largestDifference = 0;
            double worstElement = 0;
            double worstTensor = 0;
            String worstTensorName = "";
            long bitwise = 0;
            long trained = 0;
            for (ParamLayout.Entry e : layout.entries()) {
                if (!trainable.trains(e.name())) {
                    continue;
                }
                double tensorLargest = 0;
                double tensorDifference = 0;
                boolean moved = false;
                for (long i = e.offset(); i < e.offset() + e.size(); i++) {
                    double w = want[(int) i];
                    double d = Math.abs(got[(int) i] - w);
                    tensorLargest = Math.max(tensorLargest, Math.abs(w));
                    tensorDifference = Math.max(tensorDifference, d);
                    squares += w * w;
                    squaredDifferences += d * d;
                    worstElement = Math.max(worstElement, d / Math.abs(w));
                    bitwise += d == 0 ? 1 : 0;
                    moved |= want[(int) i] != initial[(int) i];
                    trained++;
                }
                // the tiny tower's last layer feeds no feature (the projector reads the second-to-last layer's)
                assertTrue(moved || e.name().contains("encoder.layers.2."), e.name() + " did not train");
                largest = Math.max(largest, tensorLargest);
                largestDifference = Math.max(largestDifference, tensorDifference);
                if (tensorDifference / tensorLargest > worstTensor) {
                    worstTensor = tensorDifference / tensorLargest;
                    worstTensorName = e.name();
                }
            }
            double l2 = Math.sqrt(squaredDifferences / squares);
            System.out.printf(
                    "N=1 closeness, %s, W=%d, %d steps: max-norm relative %.1e, L2 relative %.1e, worst tensor %.1e"
                            + " (%s), worst element %.1e, %d of %d trained elements bitwise equal%n",
                    stage,
                    world,
                    STEPS,
                    largestDifference / largest,
                    l2,
                    worstTensor,
                    worstTensorName,
                    worstElement,
                    bitwise,
                    trained);
            assertTrue(largestDifference <= TOLERANCE * largest, stage + " W=" + world + ": " + largestDifference);
            assertTrue(l2 <= TOLERANCE, stage + " W=" + world + ": L2 " + l2);
            for (int s = 0; s < STEPS; s++) {
                assertEquals(
                        one.get(0).metrics().get(s).loss(),
                        ranks.get(0).metrics().get(s).loss(),
                        1e-5,
                        "loss " + s);
            }
        }
    }
}
