package io.share4v.cli;

import io.share4v.tensor.ops.Nd4jRuntime;
import picocli.CommandLine.Option;

/** The {@code --threads} option of the commands that run the model (a picocli mixin). */
final class ThreadOptions {
    @Option(
            names = "--threads",
            paramLabel = "K",
            description = "OpenBLAS threads (default: all cores). Batch-1 decoding on a 2-vCPU machine runs 3x faster"
                    + " with 1 (docs/benchmarks.md).")
    Integer threads;

    /**
     * Configures the BLAS pool: {@code --threads} when given, else the runtime's default. The Java-side loops of
     * the kernels use the common fork-join pool, sized by the JVM's processor count; a run meant to use K cores
     * starts the JVM with {@code -XX:ActiveProcessorCount=K} (bin/bench-model does).
     */
    Nd4jRuntime runtime() {
        return threads == null ? Nd4jRuntime.get() : Nd4jRuntime.configure(threads, 1);
    }
}
