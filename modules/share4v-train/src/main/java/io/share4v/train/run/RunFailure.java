package io.share4v.train.run;

/**
 * A rank's run failed outside an optimizer step (starting, loading, writing a checkpoint): names the rank and the
 * step count it had reached. The rank's collective is closed, so the other ranks fail at once too; a retry resumes
 * from the last committed checkpoint. Failures inside a step are {@link io.share4v.train.loop.StepFailure}s.
 */
public final class RunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int rank;
    private final long step;

    RunFailure(int rank, int world, long step, Throwable cause) {
        super(
                "training failed on rank " + rank + " of " + world + " at step " + step + ": " + cause.getMessage(),
                cause);
        this.rank = rank;
        this.step = step;
    }

    public int rank() {
        return rank;
    }

    /** Optimizer steps completed (or being checkpointed) when it failed. */
    public long step() {
        return step;
    }
}
