package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.CountingKernels;
import io.share4v.model.projector.Projector;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.HostKernels;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Frozen and from-layer-k towers: frozen tensors get exactly zero gradient, the trainable ones the same
 * gradient as in a fully trainable run, and no backward work happens below the lowest trainable layer
 * (counted kernel calls).
 */
class ClipTrainableScopeTest {
    private static final TinyClip TINY = TinyClip.standard(); // 3 layers, select 2: layers 0 and 1 run

    private static INDArray grads(ClipTrainable scope, boolean recompute, Kernels k, CountingKernels counter) {
        DataType dt = DataType.DOUBLE;
        TinyRun run = new TinyRun(TINY, new ClipVisionPlan(TINY.vision, 2, false, scope, recompute), 2, dt);
        INDArray params = TINY.randomParams(dt, 21);
        INDArray out = run.forward(params, TINY.randomImages(dt, 2, 22), k);
        INDArray dy = TinyClip.random(dt, out.size(0), out.size(1), 23);
        INDArray grads = TINY.zeros(dt);
        if (counter != null) {
            // count the vision backward alone: run the projector first, uncounted
            INDArray dfeat = run.plan.hasBackward() ? Nd4j.create(dt, run.features.shape()) : null;
            Projector.backward(
                    ProjectorParams.of(TINY.layout, TINY.projector, grads),
                    dfeat,
                    run.pa,
                    dy,
                    run.features,
                    ProjectorParams.of(TINY.layout, TINY.projector, params),
                    k);
            counter.reset();
            ClipVision.backward(
                    ClipVisionParams.of(TINY.layout, TINY.vision, grads),
                    null,
                    run.va,
                    dfeat,
                    ClipVisionParams.of(TINY.layout, TINY.vision, params),
                    counter.kernels);
        } else {
            run.backward(grads, null, dy, params, k);
        }
        return grads;
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void fromLayerTrainsOnlyLayersAtOrAboveKAndDoesNoWorkBelow(String name) {
        Kernels k = Kernels.create(name);
        INDArray full = grads(ClipTrainable.all(), false, k, null);
        for (boolean recompute : new boolean[] {false, true}) {
            CountingKernels counter = new CountingKernels(k);
            INDArray g = grads(ClipTrainable.fromLayer(1), recompute, k, counter);
            for (ParamLayout.Entry e : TINY.layout.entries()) {
                double[] got = TINY.layout.view(g, e.name()).dup().data().asDouble();
                if (e.name().startsWith(ClipLayout.PREFIX + "encoder.layers.1.") || !ClipLayout.isVision(e.name())) {
                    assertArrayEquals(
                            TINY.layout.view(full, e.name()).dup().data().asDouble(),
                            got,
                            0.0,
                            e.name() + " trains: same gradient as the fully trainable run");
                    assertTrue(absSum(got) > 0, e.name() + " gets a gradient");
                } else {
                    assertEquals(0.0, absSum(got), 0.0, e.name() + " is frozen or unused: exactly zero gradient");
                }
            }
            // layer 1 only: 6 linear backwards, 1 attention, 2 layer norms; layer 0 and the embeddings: nothing
            Map<String, Integer> c = counter.calls;
            assertEquals(6, counter.count("linearBackward"), c.toString());
            assertEquals(1, counter.count("attentionBackward"), c.toString());
            assertEquals(2, counter.count("layerNormBackward"), c.toString());
            assertEquals(1, counter.count("activationBackward"), c.toString());
            // with recomputation layer 1's internals are still in the shared scratch (it ran last): no recompute
            assertEquals(0, counter.count("attentionForward"), c.toString());
            assertEquals(0, counter.count("patchify"), c.toString());
        }
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void frozenTowerDoesNoBackwardWork(String name) {
        Kernels k = Kernels.create(name);
        CountingKernels counter = new CountingKernels(k);
        INDArray g = grads(ClipTrainable.frozen(), false, k, counter);
        assertEquals(0, counter.total(), counter.calls.toString());
        for (ParamLayout.Entry e : TINY.layout.entries()) {
            double s = absSum(TINY.layout.view(g, e.name()).dup().data().asDouble());
            if (ClipLayout.isVision(e.name())) {
                assertEquals(0.0, s, 0.0, e.name());
            } else {
                assertTrue(s > 0, e.name() + " (projector) still trains");
            }
        }
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void fromLayerAtOrAboveTheSelectedEntryIsFrozenInEffect(String name) {
        Kernels k = Kernels.create(name);
        CountingKernels counter = new CountingKernels(k);
        grads(ClipTrainable.fromLayer(2), false, k, counter); // layer 2 exists but is not run
        assertEquals(0, counter.total(), counter.calls.toString());
    }

    @Test
    void imageGradientNeedsAFullyTrainableTower() {
        Kernels k = Kernels.create("scalar");
        DataType dt = DataType.DOUBLE;
        TinyRun run =
                new TinyRun(TINY, new ClipVisionPlan(TINY.vision, 2, false, ClipTrainable.fromLayer(1), false), 1, dt);
        INDArray params = TINY.randomParams(dt, 1);
        INDArray img = TINY.randomImages(dt, 1, 2);
        run.forward(params, img, k);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ClipVision.backward(
                        ClipVisionParams.of(TINY.layout, TINY.vision, TINY.zeros(dt)),
                        Nd4j.create(dt, img.shape()),
                        run.va,
                        Nd4j.create(dt, run.features.shape()),
                        ClipVisionParams.of(TINY.layout, TINY.vision, params),
                        k));
        assertTrue(e.getMessage().contains("fromLayer(1)"), e.getMessage());
    }

    @Test
    void frozenPredicateMatchesStageOne() {
        TinyClip t = TINY;
        var frozen = t.layout.ranges(ClipLayout.frozen(ClipTrainable.fromLayer(1)));
        long frozenSize = frozen.stream().mapToLong(ParamLayout.Range::size).sum();
        long expected = 0;
        for (ParamLayout.Entry e : t.layout.entries()) {
            boolean trains = e.name().startsWith(ClipLayout.PREFIX + "encoder.layers.1.")
                    || e.name().startsWith(ClipLayout.PREFIX + "encoder.layers.2.");
            if (ClipLayout.isVision(e.name()) && !trains) {
                expected += e.size();
            }
        }
        assertEquals(expected, frozenSize);
        // embeddings + pre-LN + layer 0 are one range; post_layernorm another
        assertEquals(2, frozen.size(), frozen.toString());
    }

    private static double absSum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }
}
