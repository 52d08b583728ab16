package io.share4v.train.schedule;

import static io.share4v.common.config.ConfigChecks.require;

/** The same learning rate at every step (HF's {@code constant}: no warmup), for tests and short experiments. */
public record ConstantLr(double base) implements LrSchedule {
    public ConstantLr {
        require(Double.isFinite(base) && base >= 0, "lr", base, "a finite value >= 0");
    }

    @Override
    public double lr(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step " + step + " is negative");
        }
        return base;
    }
}
