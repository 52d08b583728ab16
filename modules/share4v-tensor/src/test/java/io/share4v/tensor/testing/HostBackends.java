package io.share4v.tensor.testing;

import io.share4v.tensor.backend.Backends;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends every test runs on the host: the pure-Java reference and the ND4J one. Tests take the name as their
 * parameter and build the backend with {@link Backends#create}, so they run through the same switch as the commands
 * and never name an implementation class.
 */
public final class HostBackends {
    /** Both host backends, by the names {@link Backends#create} accepts. */
    public static final List<String> NAMES = List.of("java", "nd4j");

    /** For {@code @MethodSource(HostBackends.ALL)}: one invocation per name of {@link #NAMES}. */
    public static final String ALL = "io.share4v.tensor.testing.HostBackends#names";

    private HostBackends() {}

    public static Stream<String> names() {
        return NAMES.stream();
    }

    /** Every case once per backend name, the name first: {@code (name, case arguments...)}. */
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
