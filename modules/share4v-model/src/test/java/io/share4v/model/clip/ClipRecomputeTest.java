package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.CountingKernels;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.HostKernels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Activation recomputation gives bit-identical gradients and keeps fewer bytes. */
class ClipRecomputeTest {
    static Stream<Arguments> cases() {
        return HostKernels.each(List.of(DataType.FLOAT, DataType.DOUBLE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void recomputedGradientsAreBitIdentical(String name, DataType dt) {
        Kernels k = Kernels.create(name);
        TinyClip tiny = new TinyClip(Activation.QUICK_GELU, "mlp2x_gelu");
        INDArray params = tiny.randomParams(dt, 31);
        INDArray img = tiny.randomImages(dt, 2, 32);
        for (ClipTrainable scope :
                new ClipTrainable[] {ClipTrainable.all(), ClipTrainable.fromLayer(1), ClipTrainable.fromLayer(0)}) {
            INDArray[] plain = run(tiny, scope, false, params, img, dt, k);
            INDArray[] recomputed = run(tiny, scope, true, params, img, dt, k);
            assertArrayEquals(plain[0].data().asDouble(), recomputed[0].data().asDouble(), 0.0, scope + " grads");
            assertArrayEquals(plain[1].data().asDouble(), recomputed[1].data().asDouble(), 0.0, scope + " output");
            if (plain[2] != null) {
                assertArrayEquals(
                        plain[2].data().asDouble(), recomputed[2].data().asDouble(), 0.0, scope + " dimages");
            }
        }
    }

    /** Two forward/backward rounds (the second checks state carried between steps), returns grads, output, dimages. */
    private static INDArray[] run(
            TinyClip tiny,
            ClipTrainable scope,
            boolean recompute,
            INDArray params,
            INDArray img,
            DataType dt,
            Kernels k) {
        TinyRun run = new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 3, false, scope, recompute), 2, dt);
        INDArray grads = tiny.zeros(dt);
        INDArray dimages = scope.embeddings() ? Nd4j.create(dt, img.shape()) : null;
        INDArray out = null;
        for (int round = 0; round < 2; round++) {
            out = run.forward(params, img, k).dup();
            run.backward(grads, dimages, TinyClip.random(dt, out.size(0), out.size(1), 33), params, k);
        }
        return new INDArray[] {grads, out, dimages};
    }

    @Test
    void recomputationRerunsEveryLayerButTheLast() {
        TinyClip tiny = TinyClip.standard();
        DataType dt = DataType.DOUBLE;
        CountingKernels counter = new CountingKernels(Kernels.create("scalar"));
        TinyRun run = new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 3, false, ClipTrainable.all(), true), 1, dt);
        INDArray params = tiny.randomParams(dt, 1);
        INDArray out = run.forward(params, tiny.randomImages(dt, 1, 2), counter.kernels);
        counter.reset();
        run.backward(tiny.zeros(dt), null, TinyClip.random(dt, out.size(0), out.size(1), 3), params, counter.kernels);
        assertEquals(2, counter.count("attentionForward"), "layers 0 and 1 recomputed, layer 2 still in scratch");
        assertEquals(3, counter.count("attentionBackward"));
    }

    @Test
    void activationBytesMatchThePlanAndRecomputationSavesMemory() {
        TinyClip tiny = TinyClip.standard();
        for (ClipTrainable scope :
                new ClipTrainable[] {ClipTrainable.all(), ClipTrainable.fromLayer(1), ClipTrainable.frozen()}) {
            for (boolean recompute : new boolean[] {false, true}) {
                for (boolean cls : new boolean[] {false, true}) {
                    ClipVisionPlan plan = new ClipVisionPlan(tiny.vision, 2, cls, scope, recompute);
                    ClipActivations a = new ClipActivations(plan, 3, DataType.FLOAT);
                    assertEquals(ClipActivations.bytesFor(plan, 3, DataType.FLOAT), a.bytes(), plan.toString());
                }
            }
        }
        ClipVisionPlan keep = new ClipVisionPlan(tiny.vision, 3, false, ClipTrainable.all(), false);
        ClipVisionPlan recompute = new ClipVisionPlan(tiny.vision, 3, false, ClipTrainable.all(), true);
        assertTrue(new ClipActivations(recompute, 2, DataType.FLOAT).bytes()
                < new ClipActivations(keep, 2, DataType.FLOAT).bytes());

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
            long with = ClipActivations.bytesFor(new ClipVisionPlan(vitL, 23, false, scope, true), 1, DataType.FLOAT);
            long without =
                    ClipActivations.bytesFor(new ClipVisionPlan(vitL, 23, false, scope, false), 1, DataType.FLOAT);
            System.out.printf(
                    "ViT-L/14-336 activations per image, fp32, %s: %.1f MiB kept, %.1f MiB with "
                            + "recomputation (saves %.1f MiB)%n",
                    scope, without / 1048576.0, with / 1048576.0, (without - with) / 1048576.0);
            assertTrue(with <= without);
        }
    }
}
