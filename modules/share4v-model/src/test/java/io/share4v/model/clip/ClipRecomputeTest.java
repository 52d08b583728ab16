package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Activation recomputation gives bit-identical gradients and keeps fewer bytes. */
class ClipRecomputeTest {
    static Stream<Arguments> cases() {
        return HostBackends.each(List.of(DType.FLOAT, DType.DOUBLE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void recomputedGradientsAreBitIdentical(String name, DType dt) {
        Backend backend = Backends.create(name);
        Kernels k = backend.kernels();
        TinyClip tiny = new TinyClip(Activation.QUICK_GELU, "mlp2x_gelu");
        Tensor params = tiny.randomParams(backend, dt, 31);
        Tensor img = tiny.randomImages(backend, dt, 2, 32);
        for (ClipTrainable scope :
                new ClipTrainable[] {ClipTrainable.all(), ClipTrainable.fromLayer(1), ClipTrainable.fromLayer(0)}) {
            double[][] plain = run(tiny, scope, false, params, img, backend, dt, k);
            double[][] recomputed = run(tiny, scope, true, params, img, backend, dt, k);
            assertArrayEquals(plain[0], recomputed[0], 0.0, scope + " grads");
            assertArrayEquals(plain[1], recomputed[1], 0.0, scope + " output");
            if (plain[2] != null) {
                assertArrayEquals(plain[2], recomputed[2], 0.0, scope + " dimages");
            }
        }
    }

    /**
     * Two forward/backward rounds (the second checks state carried between steps), returns grads, output, dimages
     * (null when the embeddings are frozen).
     */
    private static double[][] run(
            TinyClip tiny,
            ClipTrainable scope,
            boolean recompute,
            Tensor params,
            Tensor img,
            Backend backend,
            DType dt,
            Kernels k) {
        TinyRun run = new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 3, false, scope, recompute), 2, backend, dt);
        Tensor grads = tiny.zeros(backend, dt);
        Tensor dimages = scope.embeddings() ? Tensors.zerosLike(backend, img) : null;
        double[] out = null;
        for (int round = 0; round < 2; round++) {
            Tensor y = run.forward(params, img, k);
            out = Tensors.doubles(y);
            run.backward(grads, dimages, TinyClip.random(backend, dt, y.size(0), y.size(1), 33), params, k);
        }
        return new double[][] {Tensors.doubles(grads), out, dimages == null ? null : Tensors.doubles(dimages)};
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void recomputationRerunsEveryLayerButTheLast(String name) {
        TinyClip tiny = TinyClip.standard();
        DType dt = DType.DOUBLE;
        CountingBackend counter = new CountingBackend(Backends.create(name));
        Kernels k = counter.kernels();
        TinyRun run =
                new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 3, false, ClipTrainable.all(), true), 1, counter, dt);
        Tensor params = tiny.randomParams(counter, dt, 1);
        Tensor out = run.forward(params, tiny.randomImages(counter, dt, 1, 2), k);
        counter.reset();
        run.backward(
                tiny.zeros(counter, dt), null, TinyClip.random(counter, dt, out.size(0), out.size(1), 3), params, k);
        assertEquals(2, counter.count("attentionForward"), "layers 0 and 1 recomputed, layer 2 still in scratch");
        assertEquals(3, counter.count("attentionBackward"));
    }

    @Test
    void activationBytesMatchThePlanAndRecomputationSavesMemory() {
        TinyClip tiny = TinyClip.standard();
        Backend backend = Backends.create("java");
        for (ClipTrainable scope :
                new ClipTrainable[] {ClipTrainable.all(), ClipTrainable.fromLayer(1), ClipTrainable.frozen()}) {
            for (boolean recompute : new boolean[] {false, true}) {
                for (boolean cls : new boolean[] {false, true}) {
                    ClipVisionPlan plan = new ClipVisionPlan(tiny.vision, 2, cls, scope, recompute);
                    ClipActivations a = new ClipActivations(plan, 3, backend, DType.FLOAT);
                    assertEquals(ClipActivations.bytesFor(plan, 3, DType.FLOAT), a.bytes(), plan.toString());
                }
            }
        }
        ClipVisionPlan keep = new ClipVisionPlan(tiny.vision, 3, false, ClipTrainable.all(), false);
        ClipVisionPlan recompute = new ClipVisionPlan(tiny.vision, 3, false, ClipTrainable.all(), true);
        assertTrue(new ClipActivations(recompute, 2, backend, DType.FLOAT).bytes()
                < new ClipActivations(keep, 2, backend, DType.FLOAT).bytes());

        // ViT-L/14-336 as ShareGPT4V uses it (select -2: 23 layers), fp32, computed without allocating
        ClipVisionConfig vitL = ClipVisionConfig.builder()
                .hiddenSize(1024)
                .intermediateSize(4096)
                .numLayers(24)
                .numHeads(16)
                .imageSize(336)
                .patchSize(14)
                .build();
        for (ClipTrainable scope :
                new ClipTrainable[] {ClipTrainable.fromLayer(12), ClipTrainable.all(), ClipTrainable.frozen()}) {
            long with = ClipActivations.bytesFor(new ClipVisionPlan(vitL, 23, false, scope, true), 1, DType.FLOAT);
            long without = ClipActivations.bytesFor(new ClipVisionPlan(vitL, 23, false, scope, false), 1, DType.FLOAT);
            System.out.printf(
                    "ViT-L/14-336 activations per image, fp32, %s: %.1f MiB kept, %.1f MiB with "
                            + "recomputation (saves %.1f MiB)%n",
                    scope, without / 1048576.0, with / 1048576.0, (without - with) / 1048576.0);
            assertTrue(with <= without);
        }
    }
}
