package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.GoldenTiny;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.projector.Projector;
import io.share4v.model.projector.ProjectorActivations;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with the PyTorch reference (golden/tiny, make_llava_golden.py): every vision hidden state, the selected
 * features, the projected features, and — given the golden gradient at the projected features — the feature
 * gradient and every vision and projector parameter gradient. Error = max |ours - golden| / max |golden| per tensor
 * (k_proj biases, whose true gradient is zero, are checked absolutely).
 */
class ClipGoldenParityTest {
    // config of golden/tiny/manifest.json
    static final ClipVisionConfig VISION = ClipVisionConfig.builder()
            .hiddenSize(32)
            .intermediateSize(64)
            .numLayers(3)
            .numHeads(4)
            .imageSize(42)
            .patchSize(14)
            .build();
    static final ProjectorConfig PROJECTOR = ProjectorConfig.of("mlp2x_gelu", 32, 64);
    static final int SELECT = 2; // mm_vision_select_layer -2 of 3 layers
    static final int IMAGES = 3;

    static Stream<Arguments> cases() {
        return HostBackends.each(List.of(Arguments.of("fp32", 1e-5, 1e-4), Arguments.of("fp64", 1e-10, 1e-10)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorch(String backendName, String precision, double actTol, double gradTol) {
        Backend backend = Backends.create(backendName);
        Kernels k = backend.kernels();
        DType dt = precision.equals("fp64") ? DType.DOUBLE : DType.FLOAT;
        ParamLayout.Builder b = ParamLayout.builder();
        ClipLayout.add(b, VISION);
        ProjectorLayout.add(b, PROJECTOR);
        ParamLayout layout = b.build();
        Tensor params = layout.allocate(backend, dt);
        GoldenTiny.FIXTURES.weightsInto(layout, params);
        Tensor images = GoldenTiny.FIXTURES.tensor("inputs/images.npy", backend, dt);
        ClipVisionParams vp = ClipVisionParams.of(layout, VISION, params);
        ProjectorParams pp = ProjectorParams.of(layout, PROJECTOR, params);
        Golden d = GoldenTiny.FIXTURES.sub(precision);
        double worstAct = 0;
        double worstGrad = 0;

        // every hidden_states entry: run all three layers
        ClipActivations all = new ClipActivations(
                new ClipVisionPlan(VISION, 3, false, ClipTrainable.frozen(), false), IMAGES, backend, dt);
        ClipVision.forward(all, vp, images, k);
        Tensor hs = d.tensor("vision_hidden_states.npy", backend, dt)
                .reshape(4, IMAGES * VISION.seqLen(), VISION.hiddenSize());
        for (int i = 0; i <= 3; i++) {
            worstAct = Math.max(worstAct, check("hidden_states[" + i + "]", all.hiddenState(i), hs.row(i), actTol));
        }

        // LLaVA's use: select -2, patch, everything trainable; projector on top
        ClipActivations va = new ClipActivations(
                new ClipVisionPlan(VISION, SELECT, false, ClipTrainable.all(), false), IMAGES, backend, dt);
        ProjectorActivations pa = new ProjectorActivations(PROJECTOR, IMAGES * VISION.numPatches(), backend, dt);
        Tensor feats = ClipVision.forward(va, vp, images, k);
        worstAct = Math.max(
                worstAct, check("vision_features", feats, flat2(d.tensor("vision_features.npy", backend, dt)), actTol));
        Tensor proj = Projector.forward(pa, pp, feats, k);
        worstAct = Math.max(
                worstAct, check("image_features", proj, flat2(d.tensor("image_features.npy", backend, dt)), actTol));

        Tensor grads = layout.allocate(backend, dt);
        Tensor dFeats = backend.allocate(dt, feats.shape());
        Tensor dProj = flat2(d.tensor("d_image_features.npy", backend, dt));
        Projector.backward(ProjectorParams.of(layout, PROJECTOR, grads), dFeats, pa, dProj, feats, pp, k);
        worstGrad = Math.max(
                worstGrad,
                check("d_vision_features", dFeats, flat2(d.tensor("d_vision_features.npy", backend, dt)), gradTol));
        ClipVision.backward(ClipVisionParams.of(layout, VISION, grads), null, va, dFeats, vp, k);
        for (ParamLayout.Entry e : layout.entries()) {
            Tensor golden = d.tensor("grads/" + e.name() + ".npy", backend, dt);
            Tensor ours = layout.view(grads, e.name());
            if (maxAbs(golden) == 0) {
                assertEquals(0.0, maxAbs(ours), 0.0, e.name() + " must get exactly zero gradient");
            } else if (e.name().endsWith("k_proj.bias")) {
                // analytically zero (softmax ignores a per-query constant added to every score): both sides hold
                // rounding noise only, so compare absolutely
                double noise = maxAbs(ours);
                assertTrue(noise < (dt == DType.DOUBLE ? 1e-15 : 1e-7), e.name() + " noise " + noise);
            } else {
                worstGrad = Math.max(worstGrad, check("grad " + e.name(), ours, golden, gradTol));
            }
        }
        System.out.printf(
                "golden parity %s %s: activations max rel err %.3e, gradients max rel err %.3e%n",
                backendName, precision, worstAct, worstGrad);
    }

    private static double check(String what, Tensor ours, Tensor golden, double tol) {
        return Golden.maxRel(what, ours, golden).assertAtMost(tol).error();
    }

    /** [B, R, C] to [B*R, C]. */
    private static Tensor flat2(Tensor x) {
        return x.reshape(x.size(0) * x.size(1), x.size(2));
    }

    private static double maxAbs(Tensor x) {
        double m = 0;
        for (double v : Tensors.doubles(x)) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
