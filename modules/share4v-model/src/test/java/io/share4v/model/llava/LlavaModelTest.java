package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.CountingKernels;
import io.share4v.model.clip.ClipTrainable;
import io.share4v.model.llama.TinyLlama;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.HostKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole model on random weights: finite differences through tower, projector, splice, decoder and loss;
 * training scopes (what gets a gradient, how much backward work is done); recomputation; ragged input; the
 * external loss normaliser; errors.
 */
class LlavaModelTest {
    // sample 0: two images; sample 1: text-only, right-padded; sample 2: one image, ragged (shorter, no padding)
    static final int[][] IDS = {
        {1, 23, -200, 87, 301, -200, 45, 13, 2},
        {1, 64, 17, 333, 290, 5, 2, 0, 0},
        {1, -200, 13, 150, 77, 2}
    };
    static final int[][] LABELS = {
        {-100, -100, -100, -100, -100, -100, 45, 13, 2},
        {-100, -100, -100, 333, 290, 5, 2, -100, -100},
        {-100, -100, -100, 150, 77, 2}
    };

    static LlavaModel model(String kernels, DataType dt, Trainable trainable, boolean recompute) {
        return model(Kernels.create(kernels), dt, trainable, recompute);
    }

    static LlavaModel model(Kernels k, DataType dt, Trainable trainable, boolean recompute) {
        LlavaModel m =
                new LlavaModel(TinyLlava.config(), new LlavaModel.Options(3, 32, 3, recompute, dt, trainable), k);
        TinyLlama.fill(m.layout(), m.params(), 11, 0.2);
        return m;
    }

    static INDArray images(DataType dt, int n, long seed) {
        return images(dt, n, 42, seed);
    }

    static INDArray images(DataType dt, int n, int size, long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(dt, n, 3, size, size);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, r.nextGaussian());
        }
        return x;
    }

    static Batch batch(DataType dt) {
        return Batch.of(IDS, LABELS, images(dt, 3, 5));
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void everyTensorMatchesFiniteDifferencesInDouble(String kernels) {
        LlavaModel m = model(kernels, DataType.DOUBLE, Trainable.all(), false);
        Batch batch = batch(DataType.DOUBLE);
        m.forward(batch);
        m.zeroGrad();
        m.backward();
        INDArray analytic = m.grads().dup();
        GradientCheck check = new GradientCheck(
                () -> m.forward(batch).loss().mean(),
                1e-5,
                GradientCheck.Tolerance.relativePlusAbsolute(1e-6, 1e-9),
                3);
        check.sampled(m.layout(), m.params(), analytic, n -> true, 3);
        check.assertPassed();
        check.worst()
                .forEach(w -> System.out.printf(
                        "FD llava %s %-90s rel %.2e (analytic %.3e)%n", kernels, w.name(), w.rel(), w.analytic()));
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void scopesGiveTheSameGradientsOnTrainableTensorsAndZeroElsewhere(String kernels) {
        LlavaModel all = model(kernels, DataType.DOUBLE, Trainable.all(), false);
        all.forward(batch(DataType.DOUBLE));
        all.zeroGrad();
        all.backward();
        Trainable[] scopes = {
            Trainable.stage1(1),
            Trainable.stage2(),
            new Trainable(false, true, ClipTrainable.frozen()),
            new Trainable(false, false, ClipTrainable.fromLayer(0))
        };
        for (Trainable scope : scopes) {
            CountingKernels counting = new CountingKernels(Kernels.create(kernels));
            LlavaModel m = model(counting.kernels, DataType.DOUBLE, scope, false);
            m.forward(batch(DataType.DOUBLE));
            m.zeroGrad();
            counting.reset();
            m.backward();
            for (ParamLayout.Entry e : m.layout().entries()) {
                INDArray g = m.layout().view(m.grads(), e.name());
                INDArray ref = all.layout().view(all.grads(), e.name());
                if (scope.trains(e.name())) {
                    double err = g.sub(ref).norm2Number().doubleValue()
                            / Math.max(ref.norm2Number().doubleValue(), 1e-30);
                    assertTrue(
                            err < 1e-12 || ref.norm2Number().doubleValue() < 1e-15,
                            scope + " " + e.name() + " differs from the all-trainable gradient: " + err);
                } else {
                    assertEquals(
                            0.0, g.amaxNumber().doubleValue(), 0.0, scope + ": frozen " + e.name() + " got a gradient");
                }
            }
            // work done: only the tower uses LayerNorm; per tower layer 2 LayerNorm backwards, +1 for pre_layrnorm
            int expectedLn = scope.vision().isFrozen()
                    ? 0
                    : scope.vision().embeddings() ? 5 : 2 * (2 - scope.vision().fromLayer());
            assertEquals(expectedLn, counting.count("layerNormBackward"), scope + " LayerNorm backwards");
            // the decoder: both layers' attention backward (the image features need d(inputs_embeds) in every scope
            // here)
            assertEquals(
                    2,
                    counting.count("attentionBackward")
                            - (scope.vision().isFrozen()
                                    ? 0
                                    : (scope.vision().embeddings()
                                            ? 2
                                            : 2 - scope.vision().fromLayer())),
                    scope + " attention backwards");
            System.out.printf("scope %s (%s): %s%n", scope, kernels, counting.calls);
        }
    }

    @Test
    void frozenLlmAndProjectorWithoutImagesDoNoBackwardWorkInThem() {
        CountingKernels counting = new CountingKernels(Kernels.create("nd4j"));
        // only the head trains: no decoder layer backward at all
        LlavaModel m = model(counting.kernels, DataType.FLOAT, Trainable.stage2(), false);
        m.forward(Batch.text(new int[][] {{1, 5, 6, 7, 2}}, new int[][] {{-100, 5, 6, 7, 2}}));
        counting.reset();
        m.zeroGrad();
        m.backward();
        assertEquals(2, counting.count("attentionBackward"));
        assertEquals(0, counting.count("layerNormBackward"));
        assertEquals(1, counting.count("embeddingBackward"));
    }

    @Test
    void inferenceModelRefusesBackward() {
        LlavaModel m = model("nd4j", DataType.FLOAT, Trainable.none(), false);
        LlavaModel.Output out = m.forward(batch(DataType.FLOAT));
        assertTrue(Double.isFinite(out.loss().mean()));
        assertThrows(IllegalStateException.class, m::backward);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void recomputationGivesIdenticalLossAndGradients(String kernels) {
        LlavaModel kept = model(kernels, DataType.FLOAT, Trainable.all(), false);
        LlavaModel recomputed = model(kernels, DataType.FLOAT, Trainable.all(), true);
        assertEquals(
                kept.forward(batch(DataType.FLOAT)).loss().mean(),
                recomputed.forward(batch(DataType.FLOAT)).loss().mean(),
                0.0);
        kept.zeroGrad();
        recomputed.zeroGrad();
        kept.backward();
        recomputed.backward();
        assertArrayEquals(kept.grads().toFloatVector(), recomputed.grads().toFloatVector(), 0f);
        long saved = kept.activationBytes() - recomputed.activationBytes();
        System.out.printf(
                "recompute (%s): activations %d -> %d bytes (saved %d; decoder alone %d)%n",
                kernels,
                kept.activationBytes(),
                recomputed.activationBytes(),
                saved,
                recomputed.decoderRecomputeSavingsBytes());
        assertTrue(saved >= recomputed.decoderRecomputeSavingsBytes());
    }

    @Test
    void raggedAndPaddedInputGiveTheSameLossAndGradients() {
        int[][] padded = {IDS[0], IDS[1], {1, -200, 13, 150, 77, 2, 0, 0, 0}};
        int[][] paddedLabels = {LABELS[0], LABELS[1], {-100, -100, -100, 150, 77, 2, -100, -100, -100}};
        LlavaModel a = model("nd4j", DataType.DOUBLE, Trainable.all(), false);
        LlavaModel b = model("nd4j", DataType.DOUBLE, Trainable.all(), false);
        double la = a.forward(batch(DataType.DOUBLE)).loss().mean();
        double lb = b.forward(Batch.of(padded, paddedLabels, images(DataType.DOUBLE, 3, 5)))
                .loss()
                .mean();
        assertEquals(la, lb, 1e-13);
        a.zeroGrad();
        b.zeroGrad();
        a.backward();
        b.backward();
        assertTrue(a.grads().equalsWithEps(b.grads(), 1e-12));
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void fusedTrainStepGivesTheSameLossAndGradientsAsForwardThenBackward(String kernels) {
        LlavaModel m = model(kernels, DataType.FLOAT, Trainable.all(), false);
        Batch batch = batch(DataType.FLOAT);
        double loss = m.forward(batch).loss().mean();
        m.zeroGrad();
        m.backward(2.0, 7.0);
        INDArray want = m.grads().dup();
        m.zeroGrad();
        m.forward(batch);
        m.backward();
        INDArray wantMean = m.grads().dup();

        m.zeroGrad();
        CausalLmLoss.Result fused = m.trainStep(batch, 2.0, 7.0);
        assertEquals(loss, fused.mean(), 0.0);
        assertEquals(want, m.grads(), "scaled, external normaliser: bit-identical gradients");
        m.zeroGrad();
        assertEquals(loss, m.trainStep(batch).mean(), 0.0);
        assertEquals(wantMean, m.grads(), "mean loss: bit-identical gradients");
        assertThrows(IllegalStateException.class, m::backward, "the fused step leaves no backward pending");
        assertThrows(
                IllegalArgumentException.class, () -> m.trainStep(Batch.of(IDS, null, images(DataType.FLOAT, 3, 5))));
    }

    @Test
    void externalNormaliserAndScale() {
        LlavaModel m = model("nd4j", DataType.DOUBLE, Trainable.stage2(), false);
        LlavaModel.Output out = m.forward(batch(DataType.DOUBLE));
        long tokens = out.loss().tokens();
        assertEquals(out.loss().sum() / tokens, out.loss().mean(), 1e-15);
        m.zeroGrad();
        m.backward();
        INDArray mean = m.grads().dup();
        m.forward(batch(DataType.DOUBLE));
        m.zeroGrad();
        m.backward(3.0, 4.0 * tokens); // global normaliser 4x the micro-batch's tokens, loss scale 3
        assertTrue(m.grads().equalsWithEps(mean.mul(0.75), 1e-13));
    }

    @Test
    void badBatchesAreRejectedWithTheReason() {
        LlavaModel m = model("nd4j", DataType.FLOAT, Trainable.all(), false);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> m.forward(Batch.of(IDS, LABELS, images(DataType.FLOAT, 2, 1))));
        assertTrue(e.getMessage().contains("3 image tokens") && e.getMessage().contains("2 images"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Batch.text(new int[][] {{0, 0}}, null)));
        assertTrue(e.getMessage().contains("only pad ids"), e.getMessage());
        // a pad id inside a text is no error: the reference masks it as a key (see LlavaKeyMaskParityTest)
        assertTrue(m.forward(Batch.text(new int[][] {{1, 0, 5, 2}}, null)).plan().keyValid[1] == false);
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Batch.text(new int[][] {{1, 512, 2}}, null)));
        assertTrue(e.getMessage().contains("512"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> m.forward(Batch.text(
                        new int[][] {
                            java.util.stream.IntStream.range(0, 33).map(i -> 5).toArray()
                        },
                        null)));
        assertTrue(e.getMessage().contains("capacity"), e.getMessage());
        m.forward(Batch.text(new int[][] {{1, 5, 2}}, null));
        assertThrows(IllegalStateException.class, m::backward);
        m.forward(Batch.text(new int[][] {{1, 5, 2}}, new int[][] {{-100, 5, 2}}));
        m.backward();
        assertThrows(IllegalStateException.class, m::backward);
    }
}
