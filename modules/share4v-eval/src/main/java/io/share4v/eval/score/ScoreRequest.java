package io.share4v.eval.score;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code share4v score} got: the answers, and the question file and ground truth where the benchmark needs them.
 *
 * @param benchmark    the scorer's name, for messages
 * @param answers      the answers file, read and checked
 * @param questions    {@code --questions FILE} or null
 * @param annotations  {@code --annotations FILE|DIR} or null
 * @param allowPartial {@code --allow-partial}: score the answered questions when some are missing
 */
public record ScoreRequest(
        String benchmark, AnswerFile answers, Path questions, Path annotations, boolean allowPartial) {
    /** The question file, which this benchmark needs for {@code why}. */
    public Path requireQuestions(String why) {
        return require(questions, "--questions", why);
    }

    /** The ground truth, which this benchmark needs ({@code what}: what it must be). */
    public Path requireAnnotations(String what) {
        return require(annotations, "--annotations", what);
    }

    private Path require(Path p, String flag, String what) {
        if (p == null) {
            throw new EvalInputException(benchmark + " needs " + flag + ": " + what);
        }
        if (!Files.exists(p)) {
            throw new EvalInputException(flag + " " + p + ": not found (" + benchmark + " needs " + what + ")");
        }
        return p;
    }
}
