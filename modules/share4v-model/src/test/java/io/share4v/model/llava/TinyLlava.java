package io.share4v.model.llava;

import io.share4v.data.image.AspectMode;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.config.VisionSelectFeature;
import io.share4v.tensor.Npy;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Activation;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.CpuBlasKernels;
import io.share4v.tensor.ops.ScalarKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The golden tiny LLaVA (golden/tiny/manifest.json) and helpers to load its arrays. */
final class TinyLlava {
    static final List<String> KERNELS = List.of("scalar", "nd4j");

    private TinyLlava() {}

    static Kernels kernels(String name) {
        return switch (name) {
            case "scalar" -> new ScalarKernels();
            case "nd4j" -> CpuBlasKernels.create();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** vision 32/64, 3 layers, 4 heads, image 42, patch 14 (9 patches); LLM V=512, C=64, F=172, 2 layers, 8/2 heads. */
    static LlavaConfig config() {
        LlamaConfig llm = new LlamaConfig(512, 64, 172, 2, 8, 2, 1e-5, 10000.0, 256, Activation.SILU, false, 1, 2, 0);
        ClipVisionConfig vision = new ClipVisionConfig(32, 64, 3, 4, 42, 14, 3, Activation.QUICK_GELU, 1e-5);
        return new LlavaConfig("share4v", llm, vision, ProjectorConfig.of("mlp2x_gelu", 32, 64), -2,
                VisionSelectFeature.PATCH, AspectMode.PAD, false, false, "tiny-tower");
    }

    static Path goldenDir() {
        try {
            return Path.of(TinyLlava.class.getResource("/golden/tiny/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static INDArray load(Path file, DataType dt) {
        try {
            Npy.DoubleArray a = Npy.readAsDouble(file);
            long[] shape = new long[a.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = a.shape()[i];
            }
            INDArray x = Nd4j.createFromArray(a.data()).castTo(dt);
            return shape.length == 0 ? x : x.reshape('c', shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[][] loadInts(Path file) {
        try {
            Npy.DoubleArray a = Npy.readAsDouble(file);
            int rows = a.shape()[0];
            int cols = a.shape()[1];
            int[][] out = new int[rows][cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[r][c] = (int) a.data()[r * cols + c];
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the model's flat parameters from golden/tiny/weights/*.npy (the float32 weights). */
    static void loadGoldenWeights(LlavaModel m) {
        ParamLayout layout = m.layout();
        for (ParamLayout.Entry e : layout.entries()) {
            layout.view(m.params(), e.name()).assign(load(goldenDir().resolve("weights/" + e.name() + ".npy"),
                    m.options().dtype()));
        }
    }

    /** The golden batch: 3 samples (0 and 2 with an image, 1 text-only); images.npy[1] is the dummy zero image. */
    static Batch goldenBatch(DataType dt) {
        Path d = goldenDir().resolve("inputs");
        INDArray all = load(d.resolve("images.npy"), dt);                // [3, 3, 42, 42]
        INDArray images = Nd4j.concat(0, all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)),
                all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3)));
        return Batch.of(loadInts(d.resolve("input_ids.npy")), loadInts(d.resolve("labels.npy")), images);
    }
}
