package io.share4v.model.generate;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.Npy;
import io.share4v.tensor.ParamLayout;
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

/** The golden tiny LLaVA (golden/tiny) as a generation model: config from its checkpoint, float32 weights from npy. */
final class GoldenTiny {
    private GoldenTiny() {}

    static Path dir() {
        try {
            return Path.of(GoldenTiny.class.getResource("/golden/tiny/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Kernels kernels(String name) {
        return name.equals("scalar") ? new ScalarKernels() : CpuBlasKernels.create();
    }

    static LlavaConfig config() {
        try {
            return HfConfigReader.readLlava(dir().resolve("checkpoints/llava-safetensors"), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden model in {@code dt}, with capacity for {@code maxBatch x maxSeq} and 3 images. */
    static LlavaModel model(String kernels, DataType dt, int maxBatch, int maxSeq) {
        LlavaModel m = new LlavaModel(config(), LlavaModel.Options.of(maxBatch, maxSeq, 3, Trainable.none()).withDtype(dt),
                kernels(kernels));
        ParamLayout layout = m.layout();
        for (ParamLayout.Entry e : layout.entries()) {
            layout.view(m.params(), e.name()).assign(load(dir().resolve("weights/" + e.name() + ".npy")).castTo(dt));
        }
        return m;
    }

    static INDArray load(Path file) {
        try {
            Npy.DoubleArray a = Npy.readAsDouble(file);
            long[] shape = new long[a.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = a.shape()[i];
            }
            INDArray x = Nd4j.createFromArray(a.data());
            return shape.length == 0 ? x : x.reshape('c', shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(Path file) {
        double[] d = load(file).toDoubleVector();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    /** {@code inputs/images.npy[i]} as [3*42*42] float32 pixels. */
    static float[] image(int i) {
        INDArray all = load(dir().resolve("inputs/images.npy"));
        return all.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    /** The golden generation prompts: {@code image} (ids with one -200, images[0]) or {@code text}. */
    static Prompt prompt(String kind) {
        int[] ids = ints(dir().resolve("generate/" + kind + "_prompt_ids.npy"));
        return kind.equals("image") ? new Prompt(ids, List.of(image(0))) : Prompt.text(ids);
    }
}
