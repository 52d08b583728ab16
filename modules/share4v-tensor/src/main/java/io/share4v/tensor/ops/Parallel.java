package io.share4v.tensor.ops;

import java.util.stream.IntStream;

/**
 * Splits a row range over the cores (llama3.java's {@code Parallel.parallelFor}): runs inline when the work is
 * small, otherwise one contiguous chunk per worker of the common fork-join pool plus the caller. Public for the
 * kernels of the backend modules; not for model code.
 */
public final class Parallel {
    private static final int WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    public interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, n)}; chunks get at least {@code grain} items. */
    public static void rows(int n, int grain, Range body) {
        int chunks = Math.min(WORKERS, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks)
                .parallel()
                .forEach(c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    public interface Chunk {
        void run(int chunk, int from, int to);
    }

    /** Like {@link #rows} but tells each body its chunk index ({@code < workers()}), e.g. to pick its scratch. */
    public static void chunks(int n, int grain, Chunk body) {
        int chunks = Math.min(WORKERS, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1) {
            body.run(0, 0, n);
            return;
        }
        IntStream.range(0, chunks)
                .parallel()
                .forEach(c -> body.run(c, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    public static int workers() {
        return WORKERS;
    }
}
