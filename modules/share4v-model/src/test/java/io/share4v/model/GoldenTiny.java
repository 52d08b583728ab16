package io.share4v.model;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.generate.Prompt;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The golden tiny LLaVA written by src/test/python/make_llava_golden.py (golden/tiny) and its pad-id variant
 * written by make_keymask_golden.py (golden/tiny-keymask): the model, its inputs and the PyTorch outputs.
 */
public final class GoldenTiny {
    /** golden/tiny: weights, inputs, fp32/fp64 outputs and gradients, generation, checkpoints. */
    public static final Golden FIXTURES = Golden.resource(GoldenTiny.class, "/golden/tiny");
    /** golden/tiny-keymask: the same model on texts with pad ids inside, fp64 outputs. */
    public static final Golden KEYMASK = Golden.resource(GoldenTiny.class, "/golden/tiny-keymask");
    /** The HF checkpoint directory whose config.json and safetensors hold the golden model. */
    public static final String CHECKPOINT = "checkpoints/llava-safetensors";

    private GoldenTiny() {}

    /** The config as the golden checkpoint's config.json states it. */
    public static LlavaConfig config() {
        try {
            return HfConfigReader.readLlava(FIXTURES.path(CHECKPOINT), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the model's flat parameters from golden/tiny/weights/*.npy (the float32 weights). */
    public static void loadWeights(LlavaModel m) {
        FIXTURES.weightsInto(m.layout(), m.params());
    }

    /**
     * The golden model for generation on backend {@code backend} in {@code dt}, with capacity for
     * {@code maxBatch x maxSeq} and 3 images.
     */
    public static LlavaModel model(String backend, DType dt, int maxBatch, int maxSeq) {
        LlavaModel.Options options =
                LlavaModel.Options.of(maxBatch, maxSeq, 3, Trainable.none()).withDtype(dt);
        LlavaModel m = new LlavaModel(config(), options, Backends.create(backend));
        loadWeights(m);
        return m;
    }

    /**
     * The two real images of inputs/images.npy [3, 3, 42, 42] as a {@code [2, 3, 42, 42]} tensor of {@code backend}:
     * sample 1's entry is the dummy zero image.
     */
    public static Tensor usedImages(Backend backend, DType dt) {
        double[] all = FIXTURES.doubles("inputs/images.npy");
        int per = all.length / 3;
        double[] used = new double[2 * per];
        System.arraycopy(all, 0, used, 0, per);
        System.arraycopy(all, 2 * per, used, per, per);
        return Tensors.of(backend, dt, used, 2, 3, 42, 42);
    }

    /** The golden batch for a model on {@code backend}: 3 samples (0 and 2 with an image, 1 text-only). */
    public static Batch batch(Backend backend, DType dt) {
        return Batch.of(
                FIXTURES.intRows("inputs/input_ids.npy"),
                FIXTURES.intRows("inputs/labels.npy"),
                usedImages(backend, dt));
    }

    /** {@code inputs/images.npy[i]} as [3*42*42] float32 pixels. */
    public static float[] image(int i) {
        float[] all = FIXTURES.floats("inputs/images.npy");
        int per = all.length / 3;
        return java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
    }

    /** The golden generation prompts: {@code image} (ids with one -200, images[0]) or {@code text}. */
    public static Prompt prompt(String kind) {
        int[] ids = FIXTURES.ints("generate/" + kind + "_prompt_ids.npy");
        return kind.equals("image") ? new Prompt(ids, List.of(image(0))) : Prompt.text(ids);
    }
}
