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
     * question ids repeat (TextVQA, MME: the answers' ids then combine {@code question_id} with the question).
     */
    default AnswerFile readAnswers(Path file) {
        return AnswerFile.read(file);
    }

    /** The numbers; bad or incomplete input is an {@link io.share4v.eval.EvalInputException} naming the file. */
    ObjectNode score(ScoreRequest request);

    /**
     * Scores what {@code share4v score} was given: {@link #readAnswers} then {@link #score(ScoreRequest)}, unless a
     * benchmark's answers can also come in a layout of their own (MME's official results directory) and it overrides
     * this.
     */
    default ObjectNode score(Path answers, Path questions, Path annotations, boolean allowPartial) {
        return score(new ScoreRequest(name(), readAnswers(answers), questions, annotations, allowPartial));
    }
}
