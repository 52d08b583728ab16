package io.share4v.cli;

import io.share4v.tensor.backend.Backend;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --profile} option of the model benchmarks (a picocli mixin): when set, every kernel call of the
 * timed part goes through a {@link KernelTimer}, and the JSON line gets the milliseconds per step by kernel.
 */
final class ProfileOptions {
    @Option(
            names = "--profile",
            description = "Time every kernel call of the timed part (adds the milliseconds per step or token by kernel"
                    + " to the JSON line).")
    boolean enabled;

    private final KernelTimer timer = new KernelTimer();

    /** {@code backend} as the model should use it: its kernels timed with {@code --profile}, else untouched. */
    Backend wrap(Backend backend) {
        return enabled ? timer.wrap(backend) : backend;
    }

    /** Starts or stops counting (the warm-up and the parts not profiled run with it off). */
    void timing(boolean on) {
        timer.enable(on);
    }

    /**
     * Milliseconds per unit (step or token) by kernel, largest first, then {@code outsideKey}: the part of
     * {@code measuredMillis} (the total over all units) spent outside the kernels, rounded to {@code digits}.
     */
    Map<String, Object> millisPerUnit(int units, String outsideKey, double measuredMillis, int digits) {
        Map<String, Object> p = new LinkedHashMap<>(timer.millisPerStep(units));
        p.put(outsideKey, BenchSupport.round((measuredMillis - timer.totalNanos() / 1e6) / units, digits));
        return p;
    }
}
