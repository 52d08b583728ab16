package io.share4v.model.io;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Tensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Run in a JVM whose heap is far smaller than the checkpoint: loads one large F32 (or BF16) tensor
 * {@code w} of {@code n} elements into a flat buffer of backend {@code args[2]} and checks a strided sample plus the
 * total against the generator's formula (element i = (i mod 1000) / 8). Prints OK or fails with a non-zero exit.
 */
public final class MappedLoadMain {
    private MappedLoadMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        Backend backend = Backends.create(args[2]);
        ParamLayout layout = ParamLayout.builder().add("w", n).build();
        Tensor flat = layout.allocate(backend, DType.FLOAT);
        CheckpointLoader.load(
                List.of(new CheckpointLoader.Source(file, CheckpointNames.Role.MODEL)),
                layout,
                backend,
                flat,
                x -> false);
        for (long i = 0; i < n; i += 999_983) {
            float want = (i % 1000) / 8f;
            if (Tensors.get(flat, i) != want) {
                throw new AssertionError("element " + i + " = " + Tensors.get(flat, i) + ", expected " + want);
            }
        }
        double last = Tensors.get(flat, n - 1);
        if (last != ((n - 1) % 1000) / 8f) {
            throw new AssertionError("last element " + last);
        }
        double sum = Arrays.stream(Tensors.doubles(flat.slice(0, 1000))).sum();
        if (sum != 999 * 1000 / 2 / 8.0) {
            throw new AssertionError("sum of the first 1000 = " + sum);
        }
        System.out.println("OK maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
