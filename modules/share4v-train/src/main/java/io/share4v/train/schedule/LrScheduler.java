package io.share4v.train.schedule;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;

/** The schedule a run names ({@code optimizer.lr_scheduler}). */
public enum LrScheduler implements ConfigName {
    /** Both stages of the reference: {@link CosineWithWarmup}. */
    COSINE("cosine"),
    /** {@link ConstantLr}; it has no warmup, so {@code warmup_ratio} must be 0. */
    CONSTANT("constant");

    private final String configName;

    LrScheduler(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The schedule of a run of {@code totalSteps} optimizer steps. */
    public LrSchedule create(double base, long totalSteps, double warmupRatio) {
        return switch (this) {
            case COSINE -> CosineWithWarmup.withWarmupRatio(base, totalSteps, warmupRatio);
            case CONSTANT -> {
                require(warmupRatio == 0, "warmup_ratio", warmupRatio, "0 with lr_scheduler constant (no warmup)");
                yield new ConstantLr(base);
            }
        };
    }
}
