package io.share4v.model.clip;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Activation;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    INDArray randomParams(DataType dt, long seed) {
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
        return Nd4j.createFromArray(v).castTo(dt);
    }

    INDArray zeros(DataType dt) {
        return Nd4j.zeros(dt, layout.totalSize());
    }

    INDArray randomImages(DataType dt, int b, long seed) {
        Random r = new Random(seed);
        double[] v = new double[b * 3 * vision.imageSize() * vision.imageSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', b, 3, vision.imageSize(), vision.imageSize());
    }

    static INDArray random(DataType dt, long rows, long cols, long seed) {
        Random r = new Random(seed);
        double[] v = new double[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', rows, cols);
    }
}
