package io.share4v.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.tensor.DType;
import io.share4v.tensor.DirectStorage;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.AttentionMask;
import io.share4v.tensor.ops.AttentionShape;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.ScalarKernels;
import io.share4v.tensor.testing.HostBackends;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each host kernel set gives the same bits whether its tensors live in the {@code java} backend's memory
 * ({@link DirectStorage}, direct buffers) or the {@code nd4j} backend's (JavaCPP allocations): the kernels only
 * see an address and buffer windows, so every output, and every input left as it was, must be equal to the last
 * bit. Covers the {@code java} kernel set ({@link ScalarKernels}) and the {@code nd4j} one
 * ({@link CpuBlasKernels}), which must work on any host memory, not only their own backend's.
 */
class HostMemoryParityTest {
    private static final int B = 2;
    private static final int T = 5;
    private static final int H = 4;
    private static final int HKV = 2;
    private static final int D = 4;
    private static final int C = H * D;
    private static final int N = B * T;
    private static final int O = 6;
    private static final int V = 11;

    /** Key 2 of sample 0 hidden singly and sample 1 right-padded to 3 keys. */
    private static final AttentionShape ATTENTION = AttentionShape.causal(
            B, T, H, HKV, D, AttentionMask.validLength(T, 3).andKeyValid(new boolean[] {
                true, true, false, true, true, true, true, true, true, true
            }));

    /** One kernel call on its arguments; returns the call's result (0 for void kernels). */
    private record Case(String name, long[][] shapes, Call call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private interface Call {
        double run(Kernels k, Tensor[] t);
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                new Case(
                        "linearForward",
                        shapes(new long[] {N, O}, new long[] {N, C}, new long[] {O, C}, new long[] {O}),
                        (k, t) -> run(() -> k.linearForward(t[0], t[1], t[2], t[3]))),
                new Case(
                        "linearBackward",
                        shapes(
                                new long[] {N, C},
                                new long[] {O, C},
                                new long[] {O},
                                new long[] {N, O},
                                new long[] {N, C},
                                new long[] {O, C}),
                        (k, t) -> run(() -> k.linearBackward(t[0], t[1], t[2], t[3], t[4], t[5]))),
                new Case(
                        "layerNormForward",
                        shapes(
                                new long[] {N, C},
                                new long[] {N},
                                new long[] {N},
                                new long[] {N, C},
                                new long[] {C},
                                new long[] {C}),
                        (k, t) -> run(() -> k.layerNormForward(t[0], t[1], t[2], t[3], t[4], t[5], 1e-5f))),
                new Case(
                        "layerNormBackward",
                        shapes(
                                new long[] {N, C},
                                new long[] {C},
                                new long[] {C},
                                new long[] {N, C},
                                new long[] {N, C},
                                new long[] {N},
                                new long[] {N},
                                new long[] {C}),
                        (k, t) -> run(() -> k.layerNormBackward(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]))),
                new Case(
                        "rmsNormForward and rope",
                        shapes(
                                new long[] {N, C},
                                new long[] {N},
                                new long[] {N, C},
                                new long[] {C},
                                new long[] {T, D},
                                new long[] {T, D}),
                        (k, t) -> run(() -> {
                            k.rmsNormForward(t[0], t[1], t[2], t[3], 1e-6f);
                            k.rope(t[0], t[4], t[5], B, T, H, D, false);
                        })),
                new Case(
                        "attentionForward with a mask",
                        shapes(
                                new long[] {N, C},
                                new long[] {B, H, T, T},
                                new long[] {N, C},
                                new long[] {N, HKV * D},
                                new long[] {N, HKV * D}),
                        (k, t) -> run(() -> k.attentionForward(t[0], t[1], t[2], t[3], t[4], ATTENTION))),
                new Case(
                        "attentionBackward with a mask, probabilities recomputed",
                        shapes(
                                new long[] {N, C},
                                new long[] {N, HKV * D},
                                new long[] {N, HKV * D},
                                new long[] {N, C},
                                new long[] {N, C},
                                new long[] {N, HKV * D},
                                new long[] {N, HKV * D}),
                        (k, t) -> run(
                                () -> k.attentionBackward(t[0], t[1], t[2], t[3], null, t[4], t[5], t[6], ATTENTION))),
                new Case(
                        "swiglu and embedding",
                        shapes(new long[] {N, C}, new long[] {N, C}, new long[] {N, C}, new long[] {V, C}),
                        (k, t) -> run(() -> {
                            k.swigluForward(t[0], t[1], t[2]);
                            k.embeddingBackward(t[3], t[0], ids());
                            k.embeddingForward(t[1], t[3], ids());
                        })),
                new Case(
                        "crossEntropy",
                        shapes(new long[] {N, V}, new long[] {N, V}),
                        (k, t) -> k.crossEntropy(t[0], t[1], targets(), -100, 0.25f)));
        return HostBackends.each(cases);
    }

    @ParameterizedTest(name = "{0} kernels: {1}")
    @MethodSource("cases")
    void javaAndNd4jMemoryGiveTheSameBits(String kernels, Case c) {
        float[][] inputs = random(c.shapes());
        Kernels k = Backends.create(kernels).kernels();
        Backend java = Backends.create("java");
        Backend nd4j = Backends.create("nd4j");
        Tensor[] onJava = upload(java, c.shapes(), inputs);
        Tensor[] onNd4j = upload(nd4j, c.shapes(), inputs);
        assertEquals(c.call().run(k, onJava), c.call().run(k, onNd4j), 0.0, "result");
        for (int i = 0; i < inputs.length; i++) {
            float[] want = new float[inputs[i].length];
            java.download(want, onJava[i]);
            float[] got = new float[inputs[i].length];
            nd4j.download(got, onNd4j[i]);
            assertArrayEquals(want, got, 0f, "argument " + i);
        }
    }

    /** The inputs as tensors of {@code backend}, each a view at an offset inside a bigger buffer. */
    private static Tensor[] upload(Backend backend, long[][] shapes, float[][] inputs) {
        Tensor[] t = new Tensor[inputs.length];
        for (int i = 0; i < t.length; i++) {
            long n = inputs[i].length;
            t[i] = backend.allocate(DType.FLOAT, n + 7).slice(3, n).reshape(shapes[i]);
            backend.upload(t[i], inputs[i]);
        }
        return t;
    }

    private static double run(Runnable call) {
        call.run();
        return 0;
    }

    private static long[][] shapes(long[]... shapes) {
        return shapes;
    }

    private static int[] ids() {
        int[] ids = new int[N];
        for (int n = 0; n < N; n++) {
            ids[n] = n % 3 == 2 ? -1 : (n * 7) % V;
        }
        return ids;
    }

    private static int[] targets() {
        int[] targets = new int[N];
        for (int n = 0; n < N; n++) {
            targets[n] = n % 4 == 1 ? -100 : (n * 5) % V;
        }
        return targets;
    }

    private static float[][] random(long[][] shapes) {
        Random rng = new Random(17);
        float[][] v = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            long n = 1;
            for (long d : shapes[i]) {
                n *= d;
            }
            v[i] = new float[(int) n];
            for (int j = 0; j < n; j++) {
                v[i][j] = rng.nextFloat() * 2 - 1;
            }
        }
        return v;
    }
}
