package io.share4v.tensor.testing;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

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

    /** Every case once per kernel name, the name first: {@code (name, case arguments...)}. */
    public static Stream<Arguments> each(List<?> cases) {
        return NAMES.stream().flatMap(name -> cases.stream().map(c -> Arguments.of(prepend(name, c))));
    }

    private static Object[] prepend(String name, Object c) {
        Object[] rest = c instanceof Arguments a ? a.get() : new Object[] {c};
        Object[] out = new Object[rest.length + 1];
        out[0] = name;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
