package io.share4v.eval;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real benchmark files (question files, LLaVA-1.5's answer files, ground truth) for the full-file checks: a
 * directory {@code eval-data} beside the repository's parent (override with {@code -Dshare4v.evalData=DIR}). They
 * are not part of the repository (licences, size), so a test that needs them is skipped when they are absent;
 * small excerpts under {@code src/test/resources} keep every scorer tested on a fresh clone.
 */
public final class EvalData {
    private static final Path ROOT = Path.of(System.getProperty(
            "share4v.evalData",
            Path.of("../../../shared/eval-data").toAbsolutePath().normalize().toString()));

    private EvalData() {}

    /** {@code relative} under the eval data, or the test is skipped (assumption) when it is not there. */
    public static Path require(String relative) {
        Path p = ROOT.resolve(relative);
        assumeTrue(Files.exists(p), "real benchmark data not present: " + p);
        return p;
    }
}
