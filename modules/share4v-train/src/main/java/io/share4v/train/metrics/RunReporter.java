package io.share4v.train.metrics;

/**
 * Where one rank of one attempt sends its {@link ProgressEvent}s: the driver's progress server over a socket
 * ({@link ProgressClient}, the Spark task), or straight into a {@link RunProgress} of this process
 * ({@link RunProgress#reporter}, tests and non-Spark callers). Metrics are not the model: {@link #report} never fails
 * the training (a reporter that cannot deliver logs a warning and drops).
 */
public interface RunReporter extends AutoCloseable {
    /** Sends {@code event}; never blocks on the receiver for long, never throws for a delivery problem. */
    void report(ProgressEvent event);

    /** This rank is done reporting (delivers what is still queued, within a bounded time). */
    @Override
    void close();
}
