package io.share4v.tensor.testing;

import java.util.List;
import java.util.stream.Stream;

/**
 * The kernel implementations every test runs on the host: the scalar reference loops and the ND4J one. Tests
 * take the name as their parameter and build the implementation with {@code Kernels.create(name)}, so they run
 * through the same switch as the commands and never name an implementation class.
 */
public final class HostKernels {
    /** Both host implementations, by the names {@code Kernels.create} accepts. */
    public static final List<String> NAMES = List.of("scalar", "nd4j");

    /** For {@code @MethodSource(HostKernels.ALL)}: one invocation per name of {@link #NAMES}. */
    public static final String ALL = "io.share4v.tensor.testing.HostKernels#names";

    private HostKernels() {}

    public static Stream<String> names() {
        return NAMES.stream();
    }
}
