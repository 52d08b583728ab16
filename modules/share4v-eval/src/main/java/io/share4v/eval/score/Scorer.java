package io.share4v.eval.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.answers.AnswerFile;
import java.nio.file.Path;

/**
 * The official scoring of one benchmark: answers (and ground truth) in, the benchmark's numbers out as one JSON
 * object whose keys the README documents. Every scorer checks the answers' {@link Coverage} before scoring, and
 * reproduces the reference script's arithmetic, quirks included (each implementation says which script).
 */
public interface Scorer {
    /** The {@code --benchmark} name. */
    String name();

    /**
     * Reads {@code --answers}: a LLaVA answer file unless the benchmark's runner writes another format (Q-Bench) or its
     * question ids repeat (TextVQA).
     */
    default AnswerFile readAnswers(Path file) {
        return AnswerFile.read(file);
    }

    /** The numbers; bad or incomplete input is an {@link io.share4v.eval.EvalInputException} naming the file. */
    ObjectNode score(ScoreRequest request);
}
