package io.share4v.train.eval;

import static io.share4v.common.config.ConfigChecks.require;

/**
 * After which optimizer steps a run computes the validation loss: after every {@code every}-th step and after the
 * last step of the run, counting completed steps ({@code done}, as checkpoints are numbered), within the steps this
 * process trains ({@code first < done <= end}). A run stopped early ({@code run.stop_after}) evaluates at its
 * multiples of {@code every} only; the run that resumes it evaluates at the end.
 *
 * @param first steps completed when this process started (0, or the resumed checkpoint's)
 * @param end   steps completed when this process stops
 * @param total the run's steps
 * @param every {@code run.eval_every}; null: only after the last step
 */
public record EvalPoints(long first, long end, long total, Long every) {
    public EvalPoints {
        require(first >= 0 && first <= end && end <= total, "steps", first + ".." + end, "0 <= first <= end <= total");
        require(every == null || every >= 1, "run.eval_every", every, ">= 1, or null");
    }

    /** Whether the run evaluates once {@code done} steps are complete. */
    public boolean due(long done) {
        return done > first && done <= end && (done == total || (every != null && done % every == 0));
    }

    /** How many times this process evaluates. */
    public int count() {
        long n = every == null ? 0 : end / every - first / every;
        boolean extraAtEnd = end == total && total > first && (every == null || total % every != 0);
        return Math.toIntExact(n + (extraAtEnd ? 1 : 0));
    }
}
