package io.share4v.cli;

import io.share4v.backend.nd4j.Nd4jRuntime;
import io.share4v.tensor.backend.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code --threads} option of the commands that run the model (a picocli mixin). */
final class ThreadOptions {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadOptions.class);
    /** The backend whose kernels call OpenBLAS; the only one with a BLAS pool to size. */
    private static final String BLAS_BACKEND = "nd4j";

    @Option(
            names = "--threads",
            paramLabel = "K",
            description = "OpenBLAS threads (default: all cores). Batch-1 decoding on a 2-vCPU machine runs 3x faster"
                    + " with 1 (docs/benchmarks.md).")
    Integer threads;

    /**
     * Configures {@code backend}'s BLAS pool: {@code --threads} when given, else the runtime's default; null for a
     * backend without one (its ND4J classes are then never loaded, so this runs where ND4J is absent). The
     * Java-side loops of the kernels use the common fork-join pool, sized by the JVM's processor count; a run
     * meant to use K cores starts the JVM with {@code -XX:ActiveProcessorCount=K} (bin/bench-model does).
     * Call it before the backend's first kernels are made: their name records the pool.
     */
    BlasPool configure(Backend backend) {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads = " + threads + " is invalid: thread counts must be >= 1");
        }
        if (!backend.name().equals(BLAS_BACKEND)) {
            if (threads != null) {
                LOG.info(
                        "--threads {} sizes the nd4j backend's OpenBLAS pool; the {} backend has none",
                        threads,
                        backend.name());
            }
            return null;
        }
        Nd4jRuntime rt = threads == null ? Nd4jRuntime.get() : Nd4jRuntime.configure(threads, 1);
        return new BlasPool(rt.blasThreads(), rt.describe());
    }
}
