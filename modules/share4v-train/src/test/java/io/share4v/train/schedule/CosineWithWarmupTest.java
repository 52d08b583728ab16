package io.share4v.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CosineWithWarmupTest {
    private static final double BASE = 2e-5;

    /** Within a few ulps: only {@code cos} may round differently from Python's. */
    private static void assertLr(double expected, double actual) {
        assertEquals(expected, actual, 4 * Math.ulp(expected), () -> "expected " + expected + ", got " + actual);
    }

    @Test
    void warmupIsTheCeilingOfRatioTimesSteps() {
        // math.ceil(T * 0.03) in Python for the same T
        long[][] totalAndWarmup = {{1, 1}, {10, 1}, {33, 1}, {100, 3}, {4871, 147}, {5196, 156}};
        for (long[] tw : totalAndWarmup) {
            assertEquals(
                    tw[1], CosineWithWarmup.withWarmupRatio(BASE, tw[0], 0.03).warmupSteps(), "T=" + tw[0]);
        }
    }

    @Test
    void valuesOfTheStageOneRunEqualHfsLambda() {
        // 2e-5 * HF's cosine lambda (num_cycles 0.5) printed by Python for T = 4871, warmup 147
        LrSchedule s = CosineWithWarmup.withWarmupRatio(BASE, 4871, 0.03);
        assertEquals(0.0, s.lr(0)); // the first update runs at lr 0
        assertLr(1.360544217687075e-07, s.lr(1));
        assertLr(2.72108843537415e-07, s.lr(2));
        assertLr(6.8027210884353745e-06, s.lr(50));
        assertLr(1.9863945578231295e-05, s.lr(146));
        assertLr(2e-05, s.lr(147)); // the peak: progress 0
        assertLr(1.9999997788688342e-05, s.lr(148));
        assertLr(1.0059852169918547e-05, s.lr(2500));
        assertLr(2.211311659339188e-12, s.lr(4870)); // the last step: small, not 0
    }

    @Test
    void formulaByHand() {
        // T = 11, warmup ceil(0.33) = 1: progress (s - 1) / 10
        LrSchedule s = CosineWithWarmup.withWarmupRatio(BASE, 11, 0.03);
        assertEquals(0.0, s.lr(0));
        assertEquals(BASE, s.lr(1));
        assertEquals(BASE * 0.5, s.lr(6)); // progress 1/2: cos(pi/2) vanishes under rounding
        for (int step = 1; step < 11; step++) {
            assertLr(BASE * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / 10.0)), s.lr(step));
        }
        // T = 100, warmup 3: a linear ramp 0, 1/3, 2/3, then the peak
        LrSchedule r = CosineWithWarmup.withWarmupRatio(BASE, 100, 0.03);
        assertEquals(0.0, r.lr(0));
        assertEquals(BASE * (1.0 / 3), r.lr(1));
        assertEquals(BASE * (2.0 / 3), r.lr(2));
        assertEquals(BASE, r.lr(3));
    }

    @Test
    void edgeCases() {
        // no warmup: the first step runs at the peak
        LrSchedule none = CosineWithWarmup.withWarmupRatio(BASE, 4, 0.0);
        assertEquals(BASE, none.lr(0));
        assertLr(BASE * 0.5 * (1 + Math.cos(Math.PI * 3 / 4.0)), none.lr(3));
        // a one-step run with warmup: ceil(0.03) = 1 step of warmup, so its only update uses lr 0 (as HF's)
        assertEquals(0.0, CosineWithWarmup.withWarmupRatio(BASE, 1, 0.03).lr(0));
        assertEquals(BASE, CosineWithWarmup.withWarmupRatio(BASE, 1, 0.0).lr(0));
        // warmup over the whole run: a ramp that never reaches the peak
        LrSchedule all = new CosineWithWarmup(BASE, 4, 4);
        assertEquals(BASE * 0.75, all.lr(3));
        // monotone after the warmup
        LrSchedule s = CosineWithWarmup.withWarmupRatio(BASE, 200, 0.03);
        for (int step = 7; step < 199; step++) {
            assertTrue(s.lr(step + 1) < s.lr(step), "step " + step);
        }
    }

    @Test
    void stepsOutsideTheRunAndBadArgumentsAreErrors() {
        LrSchedule s = CosineWithWarmup.withWarmupRatio(BASE, 10, 0.03);
        assertThrows(IllegalArgumentException.class, () -> s.lr(10));
        assertThrows(IllegalArgumentException.class, () -> s.lr(-1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CosineWithWarmup.withWarmupRatio(BASE, 10, 1.5));
        assertEquals("warmup_ratio = 1.5 is invalid: expected 0..1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CosineWithWarmup(BASE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineWithWarmup(BASE, 4, 5));
    }

    @Test
    void constantAndTheSchedulerNames() {
        LrSchedule c = LrScheduler.CONSTANT.create(1e-3, 5, 0);
        assertEquals(1e-3, c.lr(0));
        assertEquals(1e-3, c.lr(1_000_000));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LrScheduler.CONSTANT.create(1e-3, 5, 0.03));
        assertTrue(e.getMessage().startsWith("warmup_ratio = 0.03 is invalid"), e.getMessage());
        assertEquals(0.0, LrScheduler.COSINE.create(1e-3, 5, 0.03).lr(0));
    }
}
