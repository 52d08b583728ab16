package io.share4v.tensor.testing;

import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends every test runs on the host: the pure-Java reference, and every other backend on the test class
 * path whose tensors live in host memory (the {@code nd4j} one where share4v-backend-nd4j is a dependency). Tests
 * take the name as their parameter and build the backend with {@link Backends#create}, so they run through the
 * same switch as the commands and never name an implementation class; the same test code runs on one backend in
 * share4v-tensor and on both wherever the nd4j module is on the class path.
 */
public final class HostBackends {
    /** The host backends of this class path, {@code java} first, by the names {@link Backends#create} accepts. */
    public static final List<String> NAMES =
            Backends.available().stream().filter(HostBackends::isHost).toList();

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

    /**
     * True when backend {@code name} can be created here and allocates host memory. A device backend is left out
     * either way: it fails to create on a machine without its device, and its tensors are not host memory on one
     * with it.
     */
    private static boolean isHost(String name) {
        Backend backend;
        try {
            backend = Backends.create(name);
        } catch (RuntimeException noDevice) {
            return false;
        }
        return backend.allocate(DType.FLOAT, 1).storage().isHost();
    }

    private static Object[] prepend(String name, Object c) {
        Object[] rest = c instanceof Arguments a ? a.get() : new Object[] {c};
        Object[] out = new Object[rest.length + 1];
        out[0] = name;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
