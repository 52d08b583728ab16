package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A copy writes exactly the elements it names, also into a view that starts inside its storage: verbatim (F32 into
 * FLOAT, F64 into DOUBLE) and converted (BF16, or across widths), on both host backends.
 */
class TensorCopierTest {
    private static final double SENTINEL = -7;

    static Stream<Arguments> cases() {
        return HostBackends.each(List.of(
                Arguments.of("f32", DType.FLOAT),
                Arguments.of("bf16", DType.FLOAT),
                Arguments.of("f64", DType.FLOAT),
                Arguments.of("f64", DType.DOUBLE),
                Arguments.of("f32", DType.DOUBLE),
                Arguments.of("bf16", DType.DOUBLE)));
    }

    @ParameterizedTest(name = "{0}: {1} into {2}")
    @MethodSource("cases")
    void copiesLandOnTheNamedElementsOfAnOffsetView(String backendName, String stored, DType type) throws IOException {
        Backend backend = Backends.create(backendName);
        Map<String, StoredTensor> ts = SafetensorsReader.read(IoFixtures.path("dtypes.safetensors")).tensors().stream()
                .collect(Collectors.toMap(StoredTensor::name, t -> t));
        StoredTensor t = ts.get(stored);
        Tensor whole = backend.allocate(type, 100);
        Tensors.fill(whole, SENTINEL);
        Tensor view = whole.slice(10, 50); // storage elements [10, 60)
        new TensorCopier(backend).copy(t, view, 5); // storage elements [15, 15 + numel)

        double[] want = type == DType.FLOAT
                ? toDoubles(IoFixtures.npy("dtypes_" + stored + "_f32.npy"))
                : IoFixtures.npyF64("dtypes_" + stored + ".npy");
        double[] got = Tensors.doubles(whole);
        int first = 15;
        for (int i = 0; i < got.length; i++) {
            boolean inside = i >= first && i < first + want.length;
            assertEquals(inside ? want[i - first] : SENTINEL, got[i], 0.0, "storage element " + i);
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
