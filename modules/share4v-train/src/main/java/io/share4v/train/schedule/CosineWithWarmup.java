package io.share4v.train.schedule;

import static io.share4v.common.config.ConfigChecks.require;

/**
 * HF's {@code get_cosine_schedule_with_warmup} (half a cosine cycle), as the reference's Trainer builds it for
 * {@code lr_scheduler_type cosine}: a linear warmup from 0 over {@code ceil(warmup_ratio · total)} steps, then
 * {@code base · 0.5 · (1 + cos(π · progress))} with {@code progress = (step − warmup) / (total − warmup)}. The
 * scheduler is stepped once per optimizer step, so step 0, the first update, uses lr 0 whenever there is a
 * warmup; the last step {@code total − 1} uses a small positive lr, never 0. Computed in doubles as Python does;
 * only {@code cos} may differ from Python's by an ulp.
 */
public final class CosineWithWarmup implements LrSchedule {
    private final double base;
    private final long totalSteps;
    private final long warmupSteps;

    /**
     * @param base        the peak learning rate
     * @param totalSteps  optimizer steps of the whole run
     * @param warmupSteps steps of the linear warmup, {@code 0..totalSteps}
     */
    public CosineWithWarmup(double base, long totalSteps, long warmupSteps) {
        require(Double.isFinite(base) && base >= 0, "lr", base, "a finite value >= 0");
        require(totalSteps >= 1, "total steps", totalSteps, ">= 1");
        require(warmupSteps >= 0 && warmupSteps <= totalSteps, "warmup steps", warmupSteps, "0.." + totalSteps);
        this.base = base;
        this.totalSteps = totalSteps;
        this.warmupSteps = warmupSteps;
    }

    /** The schedule with HF's warmup for {@code warmup_ratio}: {@code ceil(ratio · total)} steps. */
    public static CosineWithWarmup withWarmupRatio(double base, long totalSteps, double warmupRatio) {
        require(warmupRatio >= 0 && warmupRatio <= 1, "warmup_ratio", warmupRatio, "0..1");
        return new CosineWithWarmup(base, totalSteps, (long) Math.ceil(totalSteps * warmupRatio));
    }

    @Override
    public double lr(long step) {
        if (step < 0 || step >= totalSteps) {
            throw new IllegalArgumentException("step " + step + " is outside the schedule's 0.." + (totalSteps - 1));
        }
        if (step < warmupSteps) {
            return base * ((double) step / warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return base * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }

    public long warmupSteps() {
        return warmupSteps;
    }

    public long totalSteps() {
        return totalSteps;
    }
}
