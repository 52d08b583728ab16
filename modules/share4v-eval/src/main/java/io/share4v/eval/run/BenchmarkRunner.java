package io.share4v.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark's runner, as the reference's {@code model_vqa*} script for it: the question-file reader, the
 * prompt (suffixes included), the settings ({@link RunnerSettings}) and the answer line. Implementations are
 * stateless and thread-safe.
 */
public interface BenchmarkRunner {
    /** The {@code --benchmark} name, the same as the benchmark's scorer. */
    String name();

    /** Template, image policy and default token budget. */
    RunnerSettings settings();

    /**
     * Every question of {@code file}, in file order. Strict: a malformed record is an
     * {@link io.share4v.eval.EvalInputException} naming the file, the line or record, and the reason (all bad records
     * counted, the first few shown); nothing is skipped silently.
     */
    List<EvalQuestion> readQuestions(Path file);

    /**
     * The answer file's line for {@code question} answered {@code text} (the decoded, stripped answer), in the
     * reference's format, e.g. {@code question_id, prompt, text, answer_id, model_id, metadata}.
     */
    ObjectNode answerLine(EvalQuestion question, String text, String answerId, String modelId);
}
