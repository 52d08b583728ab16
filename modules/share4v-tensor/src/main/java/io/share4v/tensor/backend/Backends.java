package io.share4v.tensor.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Backends by name. {@code java} is built in; others ({@code nd4j}, {@code cuda}) register a {@link Provider}
 * through {@link ServiceLoader} from their own modules, so this module needs neither ND4J nor CUDA on its
 * class path, and a build without them (the self-contained bundle) simply does not list them.
 */
public final class Backends {
    // The JDK's logger: this module has no dependencies, and SLF4J bridges it where an application wants that.
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    /** A backend that lives in another module. */
    public interface Provider {
        /** The name that selects it. */
        String name();

        /** A new backend; throws with a reason when the machine cannot run it (no GPU, wrong ND4J backend). */
        Backend create();
    }

    /**
     * System property naming the backend the commands use when no {@code --backend} is given (its old name,
     * {@code share4v.kernels}, from when a backend was only its kernels).
     */
    public static final String PROPERTY = "share4v.kernels";

    /** The backend used when nothing names one: the fast host CPU one. */
    public static final String DEFAULT = "nd4j";

    private Backends() {}

    /** The backend called {@code name}; an unknown or absent name is an error listing the ones available. */
    public static Backend create(String name) {
        if (JavaBackend.NAME.equals(name) || JavaBackend.OLD_NAME.equals(name)) {
            return new JavaBackend();
        }
        for (Provider p : providers()) {
            if (p.name().equals(name)) {
                try {
                    return p.create();
                } catch (LinkageError e) {
                    throw new IllegalArgumentException("backend = " + name + " cannot run in this build: a class it"
                            + " needs is not on the class path (" + e + "); expected one of "
                            + String.join(", ", available()));
                }
            }
        }
        throw new IllegalArgumentException("backend = " + name + " is invalid: expected one of "
                + String.join(", ", available()) + " (the others are not in this build)");
    }

    /** The names this build can create, {@code java} first. */
    public static List<String> available() {
        List<String> names = new ArrayList<>(List.of(JavaBackend.NAME));
        for (Provider p : providers()) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * The registered providers that load. One that does not (its class or a class it names is missing, as when
     * a jar lists a backend whose libraries a trimmed class path left out) is skipped: it is not in this build.
     */
    private static List<Provider> providers() {
        List<Provider> out = new ArrayList<>();
        Iterator<Provider> it = ServiceLoader.load(Provider.class).iterator();
        while (true) {
            Provider p;
            try {
                if (!it.hasNext()) {
                    return out;
                }
                p = it.next();
                p.name(); // a provider whose name cannot be read is as unusable as one that does not load
            } catch (ServiceConfigurationError | LinkageError e) {
                // the iterator moves on to the next registered provider after an error
                LOG.log(System.Logger.Level.DEBUG, "backend provider skipped: it cannot load in this build", e);
                continue;
            }
            out.add(p);
        }
    }
}
