package io.share4v.model.llava;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.tensor.Npy;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.Nd4jKernels;
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
            case "nd4j" -> Nd4jKernels.create();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** vision 32/64, 3 layers, 4 heads, image 42, patch 14 (9 patches); LLM V=512, C=64, F=172, 2 layers, 8/2 heads. */
    static LlavaConfig config() {
        LlamaConfig llm = LlamaConfig.builder().vocabSize(512).hiddenSize(64).intermediateSize(172).numLayers(2)
                .numHeads(8).numKvHeads(2).rmsNormEps(1e-5).maxPositionEmbeddings(256).padTokenId(0).build();
        ClipVisionConfig vision = ClipVisionConfig.builder().hiddenSize(32).intermediateSize(64).numLayers(3)
                .numHeads(4).imageSize(42).patchSize(14).build();
        return LlavaConfig.builder().llm(llm).vision(vision).projector(ProjectorConfig.of("mlp2x_gelu", 32, 64))
                .visionTower("tiny-tower").build();
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
