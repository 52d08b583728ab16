package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.GradientCheck;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences in DOUBLE against the analytic backward of tower + projector, for sampled
 * entries of every parameter tensor and of the images; loss = sum(projected * R) for a fixed random R.
 */
class ClipGradientCheckTest {
    private static final double H = 1e-4;
    private static final double TOLERANCE = 1e-6;
    private static final int SAMPLES_PER_TENSOR = 5;

    record Variant(String name, Activation act, String projector, int selectLayer, boolean keepCls) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Variant> variants = List.of(
                new Variant(
                        "quick_gelu, mlp2x_gelu, patch, select 2 of 3", Activation.QUICK_GELU, "mlp2x_gelu", 2, false),
                new Variant("gelu, linear, cls_patch, select 3 of 3", Activation.GELU, "linear", 3, true),
                new Variant(
                        "quick_gelu, mlp3x_gelu, patch, select 0 (embeddings only)",
                        Activation.QUICK_GELU,
                        "mlp3x_gelu",
                        0,
                        false));
        return HostBackends.each(variants);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void analyticGradientsMatchFiniteDifferences(String backendName, Variant v) {
        Backend backend = Backends.create(backendName);
        Kernels k = backend.kernels();
        DType dt = DType.DOUBLE;
        TinyClip tiny = new TinyClip(v.act(), v.projector());
        ClipVisionPlan plan = new ClipVisionPlan(tiny.vision, v.selectLayer(), v.keepCls(), ClipTrainable.all(), false);
        int images = 2;
        TinyRun run = new TinyRun(tiny, plan, 3, backend, dt); // capacity 3, batch 2: exercises the views
        Tensor params = tiny.randomParams(backend, dt, 11);
        Tensor img = tiny.randomImages(backend, dt, images, 12);
        Tensor out = run.forward(params, img, k);
        Tensor r = TinyClip.random(backend, dt, out.size(0), out.size(1), 13);

        Tensor grads = tiny.zeros(backend, dt);
        Tensor dimages = Tensors.zerosLike(backend, img);
        run.backward(grads, dimages, r, params, k);

        // relative, with a floor so that vanishing gradients are compared absolutely (to 1e-10)
        GradientCheck check = new GradientCheck(
                () -> loss(run, params, img, r, k), H, GradientCheck.Tolerance.relative(TOLERANCE, 1e-4), 14);
        int checked = 0;
        for (ParamLayout.Entry e : tiny.layout.entries()) {
            int layer = ClipLayout.layerIndex(e.name());
            boolean unused = (layer >= v.selectLayer()) || e.name().startsWith(ClipLayout.PREFIX + "post_layernorm");
            for (GradientCheck.Sample s :
                    check.sampled(e.name(), params, grads, e.offset(), e.size(), SAMPLES_PER_TENSOR)) {
                if (unused) {
                    assertEquals(0.0, s.analytic(), 0.0, e.name() + " is not used and must get exactly zero gradient");
                }
                checked++;
            }
        }
        checked += check.sampled("images", img.flat(), dimages.flat(), 0, img.length(), SAMPLES_PER_TENSOR)
                .size();
        System.out.printf(
                "FD %s / %s: %d entries, max rel err %.3e (%s)%n",
                backendName, v, checked, check.worstOverall().rel(), check.worstOverall());
        check.assertPassed();
    }

    private static double loss(TinyRun run, Tensor params, Tensor img, Tensor r, Kernels k) {
        double[] out = Tensors.doubles(run.forward(params, img, k));
        double[] weights = Tensors.doubles(r);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += out[i] * weights[i];
        }
        return s;
    }
}
