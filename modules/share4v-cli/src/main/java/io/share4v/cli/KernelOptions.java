package io.share4v.cli;

import io.share4v.tensor.ops.Kernels;
import picocli.CommandLine.Option;

/**
 * The {@code --backend} option (also spelled {@code --kernels}, its first name) of every command that runs the model
 * (a picocli mixin).
 */
final class KernelOptions {
    /** The names {@link Kernels#create} accepts, for the help text (an unknown name's error lists them too). */
    static final String NAMES =
            "nd4j (host CPU: OpenBLAS GEMMs, fast) or java (plain-Java reference loops, no native code; also called"
                    + " scalar)";

    // The default follows -Dshare4v.kernels as Kernels.fromSystemProperty() does in library code and tests, so
    // one JVM flag switches the commands and the code they are compared with together.
    @Option(
            names = {"--backend", "--kernels"},
            paramLabel = "NAME",
            defaultValue = "${sys:" + Kernels.PROPERTY + ":-nd4j}",
            description = "Compute backend: " + NAMES + ". Default: ${DEFAULT-VALUE} (from -D" + Kernels.PROPERTY
                    + " when set, else nd4j).")
    String name;

    /** The kernels named by {@code --backend}; an unknown name fails with the list of known ones. */
    Kernels create() {
        return Kernels.create(name);
    }
}
