package io.share4v.eval.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/** Runs a scorer as {@code share4v score} does: its own answer reader, then the score. */
public final class ScorerHarness {
    /** Test resources of this module. */
    public static final Path RESOURCES = Path.of("src/test/resources");

    private ScorerHarness() {}

    public static ObjectNode score(
            Scorer scorer, Path answers, Path questions, Path annotations, boolean allowPartial) {
        return scorer.score(
                new ScoreRequest(scorer.name(), scorer.readAnswers(answers), questions, annotations, allowPartial));
    }

    /** {@code relative} under the test resources. */
    public static Path resource(String relative) {
        return RESOURCES.resolve(relative);
    }
}
