package io.share4v.train.schedule;

/** The learning rate of each optimizer step (the reference steps its scheduler once per optimizer step). */
public interface LrSchedule {
    /** The learning rate the update of optimizer step {@code step} (0-based) uses. */
    double lr(long step);
}
