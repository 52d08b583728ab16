package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.projector.Projector;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Frozen and from-layer-k towers: frozen tensors get exactly zero gradient, the trainable ones the same
 * gradient as in a fully trainable run, and no backward work happens below the lowest trainable layer
 * (counted kernel calls).
 */
class ClipTrainableScopeTest {
    private static final TinyClip TINY = TinyClip.standard(); // 3 layers, select 2: layers 0 and 1 run

    /**
     * The gradients of one forward/backward on {@code backend}. With a {@code counter} (wrapping
     * {@code backend}) the vision backward alone runs on its counting kernels.
     */
    private static Tensor grads(ClipTrainable scope, boolean recompute, Backend backend, CountingBackend counter) {
        DType dt = DType.DOUBLE;
        Kernels k = backend.kernels();
        TinyRun run = new TinyRun(TINY, new ClipVisionPlan(TINY.vision, 2, false, scope, recompute), 2, backend, dt);
        Tensor params = TINY.randomParams(backend, dt, 21);
        Tensor out = run.forward(params, TINY.randomImages(backend, dt, 2, 22), k);
        Tensor dy = TinyClip.random(backend, dt, out.size(0), out.size(1), 23);
        Tensor grads = TINY.zeros(backend, dt);
        if (counter != null) {
            // count the vision backward alone: the projector's backward runs first, on uncounted kernels
            Tensor dfeat = run.plan.hasBackward() ? Tensors.zerosLike(backend, run.features) : null;
            Projector.backward(
                    ProjectorParams.of(TINY.layout, TINY.projector, grads),
                    dfeat,
                    run.pa,
                    dy,
                    run.features,
                    ProjectorParams.of(TINY.layout, TINY.projector, params),
                    k);
            ClipVision.backward(
                    ClipVisionParams.of(TINY.layout, TINY.vision, grads),
                    null,
                    run.va,
                    dfeat,
                    ClipVisionParams.of(TINY.layout, TINY.vision, params),
                    counter.kernels());
        } else {
            run.backward(grads, null, dy, params, k);
        }
        return grads;
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void fromLayerTrainsOnlyLayersAtOrAboveKAndDoesNoWorkBelow(String name) {
        Backend backend = Backends.create(name);
        Tensor full = grads(ClipTrainable.all(), false, backend, null);
        for (boolean recompute : new boolean[] {false, true}) {
            CountingBackend counter = new CountingBackend(backend);
            Tensor g = grads(ClipTrainable.fromLayer(1), recompute, backend, counter);
            for (ParamLayout.Entry e : TINY.layout.entries()) {
                double[] got = Tensors.doubles(TINY.layout.view(g, e.name()));
                if (e.name().startsWith(ClipLayout.PREFIX + "encoder.layers.1.") || !ClipLayout.isVision(e.name())) {
                    assertArrayEquals(
                            Tensors.doubles(TINY.layout.view(full, e.name())),
                            got,
                            0.0,
                            e.name() + " trains: same gradient as the fully trainable run");
                    assertTrue(absSum(got) > 0, e.name() + " gets a gradient");
                } else {
                    assertEquals(0.0, absSum(got), 0.0, e.name() + " is frozen or unused: exactly zero gradient");
                }
            }
            // layer 1 only: 6 linear backwards, 1 attention, 2 layer norms; layer 0 and the embeddings: nothing
            Map<String, Integer> c = counter.calls();
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
    @MethodSource(HostBackends.ALL)
    void frozenTowerDoesNoBackwardWork(String name) {
        Backend backend = Backends.create(name);
        CountingBackend counter = new CountingBackend(backend);
        Tensor g = grads(ClipTrainable.frozen(), false, backend, counter);
        assertEquals(0, counter.total(), counter.calls().toString());
        for (ParamLayout.Entry e : TINY.layout.entries()) {
            double s = absSum(Tensors.doubles(TINY.layout.view(g, e.name())));
            if (ClipLayout.isVision(e.name())) {
                assertEquals(0.0, s, 0.0, e.name());
            } else {
                assertTrue(s > 0, e.name() + " (projector) still trains");
            }
        }
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void fromLayerAtOrAboveTheSelectedEntryIsFrozenInEffect(String name) {
        Backend backend = Backends.create(name);
        CountingBackend counter = new CountingBackend(backend);
        grads(ClipTrainable.fromLayer(2), false, backend, counter); // layer 2 exists but is not run
        assertEquals(0, counter.total(), counter.calls().toString());
    }

    @Test
    void imageGradientNeedsAFullyTrainableTower() {
        Backend backend = Backends.create("java");
        Kernels k = backend.kernels();
        DType dt = DType.DOUBLE;
        TinyRun run = new TinyRun(
                TINY, new ClipVisionPlan(TINY.vision, 2, false, ClipTrainable.fromLayer(1), false), 1, backend, dt);
        Tensor params = TINY.randomParams(backend, dt, 1);
        Tensor img = TINY.randomImages(backend, dt, 1, 2);
        run.forward(params, img, k);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ClipVision.backward(
                        ClipVisionParams.of(TINY.layout, TINY.vision, TINY.zeros(backend, dt)),
                        Tensors.zerosLike(backend, img),
                        run.va,
                        Tensors.zerosLike(backend, run.features),
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
