package io.share4v.train.run;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A deliberate failure for recovery tests: with the system property {@value #PROPERTY} = {@code R@S}, rank
 * {@code R} throws just before optimizer step {@code S} (0-based), once per output directory. The first attempt
 * that reaches it creates the empty marker {@code OUTPUT/_fault-R@S} and fails; every later attempt finds
 * the marker and runs normally, so a retried job recovers. A system property rather than a config key, because the
 * resolved config goes into every checkpoint and a resume must match it; Spark executors receive it through
 * {@code spark.executor.extraJavaOptions=-Dshare4v.train.fail_rank_at_step=1@3}.
 */
final class FaultInjection {
    static final String PROPERTY = "share4v.train.fail_rank_at_step";

    private static final Pattern SPEC = Pattern.compile("(\\d+)@(\\d+)");

    private final int rank;
    private final long step;

    private FaultInjection(int rank, long step) {
        this.rank = rank;
        this.step = step;
    }

    /** The fault the system property asks for, if any. */
    static Optional<FaultInjection> fromSystemProperty() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "system property " + PROPERTY + " = " + spec + " is invalid: expected RANK@STEP, e.g. 1@3");
        }
        return Optional.of(new FaultInjection(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
    }

    /**
     * Throws when this is the rank and step of the fault and no earlier attempt has fired it (the marker is created
     * atomically, so exactly one attempt fires).
     */
    void maybeFail(int currentRank, long currentStep, FileSystem fs, Path output, String attempt) throws IOException {
        if (currentRank != rank || currentStep != step) {
            return;
        }
        Path marker = new Path(output, "_fault-" + rank + "@" + step);
        if (!fs.createNewFile(marker)) {
            return;
        }
        throw new IllegalStateException("injected fault (" + PROPERTY + " = " + rank + "@" + step + ", attempt "
                + attempt + "): rank " + rank + " fails before step " + step);
    }
}
