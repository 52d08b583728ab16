package io.share4v.train.loop;

/**
 * An optimizer step of one rank failed: its own work threw, or the collective did because a peer died or hung
 * (the cause's message then names that peer's rank and address). The rank's collective is closed, so the other
 * ranks fail at once too; the group restarts from its last committed checkpoint.
 */
public class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final int rank;

    public StepFailure(long step, int rank, int world, Throwable cause) {
        super("optimizer step " + step + " failed on rank " + rank + " of " + world + ": " + cause.getMessage(), cause);
        this.step = step;
        this.rank = rank;
    }

    public long step() {
        return step;
    }

    /** The rank that reports the failure (the cause names the peer that caused it, when it was a peer). */
    public int rank() {
        return rank;
    }
}
