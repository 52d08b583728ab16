package io.share4v.train.data;

import io.share4v.model.llava.Batch;
import java.util.List;

/**
 * The training data of one rank: its collated micro-batches for each optimizer step, in accumulation order. An
 * implementation may prepare later steps in the background; it reports how long callers waited for data.
 */
public interface BatchSource extends AutoCloseable {
    /** The micro-batches of optimizer step {@code step} for this rank (steps are asked for in increasing order). */
    List<Batch> microBatches(long step);

    /** Nanoseconds callers of {@link #microBatches} have spent waiting for data so far (0 when never waiting). */
    long stallNanos();

    /** Stops background work and releases readers. */
    @Override
    void close();
}
