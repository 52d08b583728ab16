package io.share4v.cli;

import io.share4v.tensor.Npy;
import io.share4v.tensor.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The golden tiny LLaVA of share4v-model's test resources (written by its make_llava_golden.py) as the command
 * tests use it: the HF checkpoint directory, the PyTorch outputs and the input images as files a request names.
 */
final class GoldenModel {
    /** golden/tiny, read in place: the command tests run with the module directory as working directory. */
    static final Golden FIXTURES = Golden.at(Path.of("../share4v-model/src/test/resources/golden/tiny"));

    static final Path CHECKPOINT = FIXTURES.path("checkpoints/llava-safetensors");

    private GoldenModel() {}

    /** Writes golden image {@code index} of inputs/images.npy [3, 3, 42, 42] as its own [3, 42, 42] file. */
    static Path writeImage(int index, Path file) throws IOException {
        float[] all = FIXTURES.floats("inputs/images.npy");
        int per = 3 * 42 * 42;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Npy.writeFloat32(file, new int[] {3, 42, 42}, Arrays.copyOfRange(all, index * per, (index + 1) * per));
        return file;
    }
}
