package io.share4v.model.clip;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.testing.Tensors;
import java.util.Random;

/** A tiny random vision tower + projector in one flat buffer, for gradient checks and plan tests. */
final class TinyClip {
    final ClipVisionConfig vision;
    final ProjectorConfig projector;
    final ParamLayout layout;

    TinyClip(Activation act, String projectorType) {
        // C=8, F=12, L=3, H=2 (D=4), image 8, patch 4 -> P=4, T=5
        vision = ClipVisionConfig.builder()
                .hiddenSize(8)
                .intermediateSize(12)
                .numLayers(3)
                .numHeads(2)
                .imageSize(8)
                .patchSize(4)
                .hiddenAct(act)
                .build();
        projector = ProjectorConfig.of(projectorType, 8, 6);
        ParamLayout.Builder b = ParamLayout.builder();
        ClipLayout.add(b, vision);
        ProjectorLayout.add(b, projector);
        layout = b.build();
    }

    static TinyClip standard() {
        return new TinyClip(Activation.QUICK_GELU, "mlp2x_gelu");
    }

    /** Random parameters: LayerNorm weights near 1, everything else around 0 with scale 0.3. */
    Tensor randomParams(Backend backend, DType dt, long seed) {
        Random r = new Random(seed);
        double[] v = new double[(int) layout.totalSize()];
        for (ParamLayout.Entry e : layout.entries()) {
            boolean lnWeight = e.name().endsWith("layrnorm.weight")
                    || e.name().endsWith("layer_norm1.weight")
                    || e.name().endsWith("layer_norm2.weight")
                    || e.name().endsWith("layernorm.weight");
            for (long i = e.offset(); i < e.offset() + e.size(); i++) {
                v[(int) i] = (lnWeight ? 1.0 : 0.0) + 0.3 * r.nextGaussian();
            }
        }
        return Tensors.of(backend, dt, v, v.length);
    }

    Tensor zeros(Backend backend, DType dt) {
        return layout.allocate(backend, dt);
    }

    /** {@code b} images {@code [b, 3, 8, 8]} of standard normal pixels. */
    Tensor randomImages(Backend backend, DType dt, int b, long seed) {
        return Tensors.gaussian(backend, dt, seed, 1.0, b, 3, vision.imageSize(), vision.imageSize());
    }

    /** A {@code [rows, cols]} matrix of standard normal values. */
    static Tensor random(Backend backend, DType dt, long rows, long cols, long seed) {
        return Tensors.gaussian(backend, dt, seed, 1.0, rows, cols);
    }
}
