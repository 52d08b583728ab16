package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.clip.ClipTrainable;
import io.share4v.model.llama.TinyLlama;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    static LlavaModel model(String backendName, DType dt, Trainable trainable, boolean recompute) {
        return model(Backends.create(backendName), dt, trainable, recompute);
    }

    static LlavaModel model(Backend backend, DType dt, Trainable trainable, boolean recompute) {
        LlavaModel m = new LlavaModel(
                GoldenLlavaConfig.config(), new LlavaModel.Options(3, 32, 3, recompute, dt, trainable), backend);
        TinyLlama.fill(m.layout(), m.params(), 11, 0.2);
        return m;
    }

    /** {@code n} random 42x42 images in the model's backend and type. */
    static Tensor images(LlavaModel m, int n, long seed) {
        return images(m, n, 42, seed);
    }

    /** {@code n} images {@code [n, 3, size, size]} of standard normal pixels, in the model's backend and type. */
    static Tensor images(LlavaModel m, int n, int size, long seed) {
        return Tensors.gaussian(m.backend(), m.options().dtype(), seed, 1.0, n, 3, size, size);
    }

    /** {@link #IDS} and {@link #LABELS} with their 3 images, for model {@code m}. */
    static Batch batch(LlavaModel m) {
        return Batch.of(IDS, LABELS, images(m, 3, 5));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void everyTensorMatchesFiniteDifferencesInDouble(String backendName) {
        LlavaModel m = model(backendName, DType.DOUBLE, Trainable.all(), false);
        Batch batch = batch(m);
        m.forward(batch);
        m.zeroGrad();
        m.backward();
        Tensor analytic = Tensors.copyOf(m.backend(), m.grads());
        GradientCheck check = new GradientCheck(
                () -> m.forward(batch).loss().mean(),
                1e-5,
                GradientCheck.Tolerance.relativePlusAbsolute(1e-6, 1e-9),
                3);
        check.sampled(m.layout(), m.params(), analytic, n -> true, 3);
        check.assertPassed();
        check.worst()
                .forEach(w -> System.out.printf(
                        "FD llava %s %-90s rel %.2e (analytic %.3e)%n", backendName, w.name(), w.rel(), w.analytic()));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void scopesGiveTheSameGradientsOnTrainableTensorsAndZeroElsewhere(String backendName) {
        LlavaModel all = model(backendName, DType.DOUBLE, Trainable.all(), false);
        all.forward(batch(all));
        all.zeroGrad();
        all.backward();
        Trainable[] scopes = {
            Trainable.stage1(1),
            Trainable.stage2(),
            new Trainable(false, true, ClipTrainable.frozen()),
            new Trainable(false, false, ClipTrainable.fromLayer(0))
        };
        for (Trainable scope : scopes) {
            CountingBackend counting = new CountingBackend(Backends.create(backendName));
            LlavaModel m = model(counting, DType.DOUBLE, scope, false);
            m.forward(batch(m));
            m.zeroGrad();
            counting.reset();
            m.backward();
            for (ParamLayout.Entry e : m.layout().entries()) {
                Tensor g = m.layout().view(m.grads(), e.name());
                Tensor ref = all.layout().view(all.grads(), e.name());
                if (scope.trains(e.name())) {
                    double err = HostMath.norm2Diff(g, ref) / Math.max(HostMath.norm2(ref), 1e-30);
                    assertTrue(
                            err < 1e-12 || HostMath.norm2(ref) < 1e-15,
                            scope + " " + e.name() + " differs from the all-trainable gradient: " + err);
                } else {
                    assertEquals(0.0, HostMath.maxAbs(g), 0.0, scope + ": frozen " + e.name() + " got a gradient");
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
            System.out.printf("scope %s (%s): %s%n", scope, backendName, counting.calls());
        }
    }

    @Test
    void frozenLlmAndProjectorWithoutImagesDoNoBackwardWorkInThem() {
        CountingBackend counting = new CountingBackend(Backends.create("nd4j"));
        // only the head trains: no decoder layer backward at all
        LlavaModel m = model(counting, DType.FLOAT, Trainable.stage2(), false);
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
        LlavaModel m = model("nd4j", DType.FLOAT, Trainable.none(), false);
        LlavaModel.Output out = m.forward(batch(m));
        assertTrue(Double.isFinite(out.loss().mean()));
        assertThrows(IllegalStateException.class, m::backward);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void recomputationGivesIdenticalLossAndGradients(String backendName) {
        LlavaModel kept = model(backendName, DType.FLOAT, Trainable.all(), false);
        LlavaModel recomputed = model(backendName, DType.FLOAT, Trainable.all(), true);
        assertEquals(
                kept.forward(batch(kept)).loss().mean(),
                recomputed.forward(batch(recomputed)).loss().mean(),
                0.0);
        kept.zeroGrad();
        recomputed.zeroGrad();
        kept.backward();
        recomputed.backward();
        assertArrayEquals(Tensors.floats(kept.grads()), Tensors.floats(recomputed.grads()), 0f);
        long saved = kept.activationBytes() - recomputed.activationBytes();
        System.out.printf(
                "recompute (%s): activations %d -> %d bytes (saved %d; decoder alone %d)%n",
                backendName,
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
        LlavaModel a = model("nd4j", DType.DOUBLE, Trainable.all(), false);
        LlavaModel b = model("nd4j", DType.DOUBLE, Trainable.all(), false);
        double la = a.forward(batch(a)).loss().mean();
        double lb = b.forward(Batch.of(padded, paddedLabels, images(b, 3, 5)))
                .loss()
                .mean();
        assertEquals(la, lb, 1e-13);
        a.zeroGrad();
        b.zeroGrad();
        a.backward();
        b.backward();
        assertTrue(HostMath.equalsWithEps(a.grads(), b.grads(), 1e-12));
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void fusedTrainStepGivesTheSameLossAndGradientsAsForwardThenBackward(String backendName) {
        LlavaModel m = model(backendName, DType.FLOAT, Trainable.all(), false);
        Batch batch = batch(m);
        double loss = m.forward(batch).loss().mean();
        m.zeroGrad();
        m.backward(2.0, 7.0);
        float[] want = Tensors.floats(m.grads());
        m.zeroGrad();
        m.forward(batch);
        m.backward();
        float[] wantMean = Tensors.floats(m.grads());

        m.zeroGrad();
        CausalLmLoss.Result fused = m.trainStep(batch, 2.0, 7.0);
        assertEquals(loss, fused.mean(), 0.0);
        assertArrayEquals(want, Tensors.floats(m.grads()), 0f, "scaled, external normaliser: bit-identical gradients");
        m.zeroGrad();
        assertEquals(loss, m.trainStep(batch).mean(), 0.0);
        assertArrayEquals(wantMean, Tensors.floats(m.grads()), 0f, "mean loss: bit-identical gradients");
        assertThrows(IllegalStateException.class, m::backward, "the fused step leaves no backward pending");
        assertThrows(IllegalArgumentException.class, () -> m.trainStep(Batch.of(IDS, null, images(m, 3, 5))));
    }

    @Test
    void externalNormaliserAndScale() {
        LlavaModel m = model("nd4j", DType.DOUBLE, Trainable.stage2(), false);
        LlavaModel.Output out = m.forward(batch(m));
        long tokens = out.loss().tokens();
        assertEquals(out.loss().sum() / tokens, out.loss().mean(), 1e-15);
        m.zeroGrad();
        m.backward();
        Tensor mean = HostMath.scaled(m.grads(), 0.75);
        m.forward(batch(m));
        m.zeroGrad();
        m.backward(3.0, 4.0 * tokens); // global normaliser 4x the micro-batch's tokens, loss scale 3
        assertTrue(HostMath.equalsWithEps(m.grads(), mean, 1e-13));
    }

    @Test
    void badBatchesAreRejectedWithTheReason() {
        LlavaModel m = model("nd4j", DType.FLOAT, Trainable.all(), false);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> m.forward(Batch.of(IDS, LABELS, images(m, 2, 1))));
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
