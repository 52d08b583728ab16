package io.share4v.eval.score;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The official scoring of one benchmark: answers (and ground truth) in, the benchmark's numbers out as one JSON
 * object whose keys the README documents. Every scorer checks the answers' {@link Coverage} before scoring, and
 * reproduces the reference script's arithmetic, quirks included (each implementation says which script).
 */
public interface Scorer {
    /** The {@code --benchmark} name. */
    String name();

    /** The numbers; bad or incomplete input is an {@link io.share4v.eval.EvalInputException} naming the file. */
    ObjectNode score(ScoreRequest request);
}
