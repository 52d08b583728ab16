package io.share4v.cli;

import io.share4v.tensor.ops.Kernels;
import picocli.CommandLine.Option;

/** The {@code --kernels} option of every command that runs the model (a picocli mixin). */
final class KernelOptions {
    /** What {@link Kernels#create} accepts; the help text and nothing else spells the names out. */
    static final String NAMES = "nd4j (ND4J over OpenBLAS, fast) or scalar (plain-Java reference loops)";

    // The default follows -Dshare4v.kernels, as Kernels.fromSystemProperty() does, so a JVM flag still
    // switches every command at once (the test suites use it).
    @Option(names = "--kernels", paramLabel = "NAME", defaultValue = "${sys:" + Kernels.PROPERTY + ":-nd4j}",
            description = "Kernels: " + NAMES + ". Default: ${DEFAULT-VALUE} (from -D" + Kernels.PROPERTY
                    + " when set, else nd4j).")
    String name;

    /** The kernels named by {@code --kernels}; an unknown name fails with the list of known ones. */
    Kernels create() {
        return Kernels.create(name);
    }
}
