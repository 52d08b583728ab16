package io.share4v.model.io;

import io.share4v.tensor.ParamLayout;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Run in a JVM whose heap is far smaller than the checkpoint: loads one large F32 (or BF16) tensor
 * {@code w} of {@code n} elements and checks a strided sample plus the total against the generator's
 * formula (element i = (i mod 1000) / 8). Prints OK or fails with a non-zero exit.
 */
public final class MappedLoadMain {
    private MappedLoadMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        ParamLayout layout = ParamLayout.builder().add("w", n).build();
        INDArray flat = layout.allocate();
        CheckpointLoader.load(
                List.of(new CheckpointLoader.Source(file, CheckpointNames.Role.MODEL)), layout, flat, x -> false);
        for (long i = 0; i < n; i += 999_983) {
            float want = (i % 1000) / 8f;
            if (flat.getFloat(i) != want) {
                throw new AssertionError("element " + i + " = " + flat.getFloat(i) + ", expected " + want);
            }
        }
        float last = flat.getFloat(n - 1);
        if (last != ((n - 1) % 1000) / 8f) {
            throw new AssertionError("last element " + last);
        }
        double sum = flat.get(NDArrayIndex.interval(0, 1000)).sumNumber().doubleValue();
        if (sum != 999 * 1000 / 2 / 8.0) {
            throw new AssertionError("sum of the first 1000 = " + sum);
        }
        System.out.println("OK maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
