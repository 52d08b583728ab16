package io.share4v.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Npy;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AdamW} against torch.optim.AdamW trajectories (src/test/python/make_adamw_fixtures.py): two parameter
 * groups around a frozen range, eight steps with a changing learning rate, zero gradients in places, weight
 * decay 0 and 0.1. Parameters, gradients and moments live in each host backend's memory in turn.
 */
class AdamWParityTest {
    /** On the class path, so that share4v-backend-nd4j, which runs this test too, finds it (it copies the files). */
    private static final Path DIR =
            Golden.resource(AdamWParityTest.class, "/adamw").dir();

    private static final int N = 3000;
    private static final ParamLayout.Range G0 = new ParamLayout.Range(0, 1000);
    private static final ParamLayout.Range FROZEN = new ParamLayout.Range(1000, 1800);
    private static final ParamLayout.Range G1 = new ParamLayout.Range(1800, 3000);

    private static float[] read(String testCase, String name) throws Exception {
        return Npy.readFloat32(DIR.resolve(testCase).resolve(name)).data();
    }

    static Stream<Arguments> fixtures() {
        return HostBackends.each(List.of("wd0", "wd"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fixtures")
    void matchesTorchStepByStep(String backend, String testCase) throws Exception {
        Backend be = Backends.create(backend);
        float[] p0 = read(testCase, "params0.npy");
        float[] grads = read(testCase, "grads.npy");
        float[] want = read(testCase, "params.npy");
        double[] lrs = Npy.readFloat64(DIR.resolve(testCase).resolve("lrs.npy")).data();
        int steps = lrs.length;
        double wd0 = testCase.equals("wd") ? 0.1 : 0.0;
        AdamW opt = new AdamW(
                new AdamW.Config(lrs[0], 0.9, 0.95, 1e-8, 0.0),
                List.of(new AdamW.Group(List.of(G0), wd0), new AdamW.Group(List.of(G1), 0.0)),
                be,
                N);
        Tensor p = Tensors.of(be, p0, N);
        Tensor g = be.allocate(DType.FLOAT, N);
        double worst = 0;
        for (int s = 0; s < steps; s++) {
            float[] gs = new float[N];
            System.arraycopy(grads, s * N, gs, 0, N);
            be.upload(g, gs);
            opt.step(p, g, lrs[s]);
            float[] got = Tensors.floats(p);
            for (int i = 0; i < N; i++) {
                float w = want[s * N + i];
                if (i >= FROZEN.start() && i < FROZEN.end()) {
                    assertEquals(p0[i], got[i], 0f, "frozen element " + i + " changed at step " + s);
                    continue;
                }
                // Per-element error relative to the step's movement: both sides round in float32.
                double moved = Math.abs(w - p0[i]);
                double err = Math.abs(got[i] - w) / Math.max(Math.ulp(w) * 4.0, moved);
                worst = Math.max(worst, Math.abs(got[i] - w) / Math.max(1e-30, Math.abs(w)));
                assertTrue(
                        Math.abs(got[i] - w) <= 2 * Math.ulp(w) || err <= 1e-4,
                        testCase + " step " + s + " element " + i + ": got " + got[i] + ", torch " + w);
            }
        }
        System.out.printf(
                "AdamW %s on %s: %d steps, max relative error vs torch %.2e%n", testCase, backend, steps, worst);
        assertEquals(steps, opt.stepCount());
        assertEquals(backend, opt.expAvg().storage().backend(), "moments live in the parameters' backend");
        float[] m = Tensors.floats(opt.expAvg());
        float[] v = Tensors.floats(opt.expAvgSq());
        float[] wm = read(testCase, "exp_avg.npy");
        float[] wv = read(testCase, "exp_avg_sq.npy");
        for (int i = 0; i < N; i++) {
            assertEquals(wm[i], m[i], 1e-6 * Math.abs(wm[i]) + 1e-30, "exp_avg " + i);
            assertEquals(wv[i], v[i], 1e-6 * Math.abs(wv[i]) + 1e-30, "exp_avg_sq " + i);
        }
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void weightDecayIsDecoupledFromTheGradient(String backend) {
        Backend be = Backends.create(backend);
        // zero gradient: Adam moves nothing, so the parameter only decays: p * (1 - lr * wd)
        AdamW opt = AdamW.over(AdamW.Config.of(0.5).withWeightDecay(0.2), List.of(new ParamLayout.Range(0, 4)), be, 4);
        Tensor p = Tensors.of(be, new float[] {1f, -2f, 3f, 0f}, 4);
        opt.step(p, be.allocate(DType.FLOAT, 4));
        float[] got = Tensors.floats(p);
        float decay = (float) (1 - 0.5 * 0.2);
        assertEquals(1f * decay, got[0], 0f);
        assertEquals(-2f * decay, got[1], 0f);
        assertEquals(3f * decay, got[2], 0f);
        assertEquals(0f, got[3], 0f);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void largeRangesSplitOverTasksGiveTheSameResultAsOneElementAtATime(String backend) {
        Backend be = Backends.create(backend);
        int n = 300_000; // several parallel tasks and chunks, with a ragged tail
        Random rng = new Random(13);
        Tensor p = Tensors.uniform(be, DType.FLOAT, rng.nextLong(), 0.5, n);
        Tensor g = Tensors.uniform(be, DType.FLOAT, rng.nextLong(), 0.5, n);
        float[] want = Tensors.floats(p);
        AdamW big = AdamW.over(AdamW.Config.of(1e-2), List.of(new ParamLayout.Range(0, n)), be, n);
        big.step(p, g);
        big.step(p, g);
        float[] gv = Tensors.floats(g);
        for (int i = 0; i < n; i += 9973) {
            AdamW one = AdamW.over(AdamW.Config.of(1e-2), List.of(new ParamLayout.Range(0, 1)), be, 1);
            Tensor pi = Tensors.of(be, new float[] {want[i]}, 1);
            Tensor gi = Tensors.of(be, new float[] {gv[i]}, 1);
            one.step(pi, gi);
            one.step(pi, gi);
            assertEquals(Tensors.get(pi, 0), Tensors.get(p, i), 0f, "element " + i);
        }
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void rejectsBadBuffersAndRanges(String backend) {
        Backend be = Backends.create(backend);
        AdamW opt = AdamW.over(AdamW.Config.of(1e-3), List.of(new ParamLayout.Range(0, 4)), be, 4);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> opt.step(be.allocate(DType.FLOAT, 5), be.allocate(DType.FLOAT, 4)));
        assertTrue(e.getMessage().contains("params"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> opt.step(be.allocate(DType.DOUBLE, 4), be.allocate(DType.FLOAT, 4)));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AdamW.over(AdamW.Config.of(1e-3), List.of(new ParamLayout.Range(0, 5)), be, 4));
        assertTrue(e.getMessage().contains("[0, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1e-3, 1.0, 0.999, 1e-8, 0));
        assertTrue(e.getMessage().contains("beta1 = 1.0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new AdamW(
                        AdamW.Config.of(1e-3),
                        List.of(
                                new AdamW.Group(List.of(new ParamLayout.Range(0, 3)), 0),
                                new AdamW.Group(List.of(new ParamLayout.Range(2, 4)), 0)),
                        be,
                        4));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }
}
