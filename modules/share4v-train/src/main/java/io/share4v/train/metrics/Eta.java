package io.share4v.train.metrics;

import java.time.Duration;

/**
 * Progress of a run as a person reads it: {@code step 120/4871 (2.5 %), 3.1 s/step, ETA 4 h 05 min}. The rate is
 * the mean over the steps this process has run (after a resume, the steps before it do not count), so a slow
 * first step (loading, warm-up) fades out.
 */
public final class Eta {
    private final long totalSteps;
    private final long firstStep;
    private final long startNanos;

    /** A run of {@code totalSteps} that this process starts (or resumes) at {@code firstStep}, now. */
    public Eta(long totalSteps, long firstStep, long startNanos) {
        if (totalSteps < 1 || firstStep < 0 || firstStep > totalSteps) {
            throw new IllegalArgumentException("progress of step " + firstStep + " of " + totalSteps
                    + " is invalid: expected 0 <= first step <= total steps, total >= 1");
        }
        this.totalSteps = totalSteps;
        this.firstStep = firstStep;
        this.startNanos = startNanos;
    }

    /** The line after step {@code done} steps in all have finished, at {@code nowNanos}. */
    public String line(long done, long nowNanos) {
        long ran = done - firstStep;
        double pct = 100.0 * done / totalSteps;
        if (ran <= 0) {
            return String.format("step %d/%d (%.1f %%)", done, totalSteps, pct);
        }
        double perStep = (nowNanos - startNanos) / 1e9 / ran;
        Duration eta = Duration.ofSeconds(Math.round(perStep * (totalSteps - done)));
        return String.format("step %d/%d (%.1f %%), %.2f s/step, ETA %s", done, totalSteps, pct, perStep, format(eta));
    }

    static String format(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        if (h > 0) {
            return String.format("%d h %02d min", h, m);
        }
        return m > 0 ? String.format("%d min %02d s", m, s) : s + " s";
    }
}
