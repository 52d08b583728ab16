package io.share4v.cli;

import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import java.util.Iterator;
import picocli.CommandLine.Option;

/**
 * The {@code --backend} option (also spelled {@code --kernels}, its first name) of every command that runs the model
 * (a picocli mixin).
 */
final class BackendOptions {
    /** What each backend is, for the help text; the help lists the names this build has. */
    static final String KINDS = "java: plain-Java reference loops, no native code (also called scalar); nd4j: host CPU"
            + " with OpenBLAS GEMMs, fast";

    /** The backend names this build can create, in the help text (picocli calls them completion candidates). */
    static final class Available implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Backends.available().iterator();
        }
    }

    // The default follows -Dshare4v.kernels as library code and tests do (Backends.PROPERTY), so one JVM flag
    // switches the commands and the code they are compared with together. The bundle, which has no nd4j, replaces
    // the fallback with java (BundleCli's default provider).
    @Option(
            names = {"--backend", "--kernels"},
            paramLabel = "NAME",
            defaultValue = "${sys:" + Backends.PROPERTY + ":-" + Backends.DEFAULT + "}",
            completionCandidates = Available.class,
            description = "Compute backend, one of: ${COMPLETION-CANDIDATES} (" + KINDS + "). Default: ${DEFAULT-VALUE}"
                    + " (from -D" + Backends.PROPERTY + " when set).")
    String name;

    /**
     * The backend named by {@code --backend}. A name this build cannot run (unknown, or its module is not on the
     * class path) fails with {@link Unavailable}, whose message lists the ones it can.
     */
    Backend create() {
        try {
            return Backends.create(name);
        } catch (IllegalArgumentException e) {
            throw new Unavailable(name, e);
        }
    }

    /** {@code --backend} names a backend this build does not have (or that cannot run on this machine). */
    static final class Unavailable extends IllegalArgumentException {
        final String name;

        Unavailable(String name, IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
            this.name = name;
        }
    }
}
