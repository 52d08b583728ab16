package io.share4v.eval.report;

import io.share4v.common.json.JsonFile;
import io.share4v.eval.EvalInputException;
import java.nio.file.Path;

/**
 * One benchmark's {@code OUTPUT/<bench>/run.json}: how many questions were answered, how fast, and with which
 * settings.
 *
 * @param benchmark          the benchmark (its directory's name)
 * @param questions          questions in the question file
 * @param answered           questions answered (at most {@code questions})
 * @param newTokens          tokens generated
 * @param seconds            wall-clock seconds answering
 * @param questionsPerSecond answered questions per second
 * @param tokensPerSecond    generated tokens per second
 * @param imageWaitFraction  share of the time spent waiting for images, 0 to 1
 * @param chunks             chunks (tasks) the questions were split into
 * @param maxNewTokens       the generation limit
 * @param convMode           the conversation template
 * @param imagePolicy        how images were preprocessed
 * @param scoreError         why scoring failed or was not possible, or null
 */
public record BenchmarkRun(
        String benchmark,
        int questions,
        int answered,
        long newTokens,
        double seconds,
        Double questionsPerSecond,
        Double tokensPerSecond,
        Double imageWaitFraction,
        int chunks,
        int maxNewTokens,
        String convMode,
        String imagePolicy,
        String scoreError) {
    public BenchmarkRun {
        if (questions < 0 || answered < 0 || answered > questions) {
            throw new IllegalArgumentException("answered = " + answered + " of questions = " + questions
                    + ": expected 0 <= answered <= questions");
        }
        if (newTokens < 0
                || seconds < 0
                || (questionsPerSecond != null && questionsPerSecond < 0)
                || (tokensPerSecond != null && tokensPerSecond < 0)) {
            throw new IllegalArgumentException("new_tokens, seconds and the rates must be >= 0");
        }
        if (imageWaitFraction != null && !(imageWaitFraction >= 0 && imageWaitFraction <= 1)) {
            throw new IllegalArgumentException(
                    "image_wait_fraction = " + imageWaitFraction + " is invalid: expected 0 to 1");
        }
        if (chunks < 0 || maxNewTokens < 1) {
            throw new IllegalArgumentException(
                    "chunks = " + chunks + ", max_new_tokens = " + maxNewTokens + ": expected >= 0 and >= 1");
        }
    }

    /** Reads {@code OUTPUT/<benchmark>/run.json}; its {@code benchmark} must be the directory's. */
    public static BenchmarkRun read(Path file, String benchmark) {
        JsonFile json =
                ReportFiles.json(file, "the summary of the " + benchmark + " run (the evaluation job writes it)");
        String named = json.string("benchmark");
        if (!named.equals(benchmark)) {
            throw new EvalInputException(
                    file + ": key \"benchmark\" = \"" + named + "\" is not its directory's \"" + benchmark + "\"");
        }
        try {
            return new BenchmarkRun(
                    benchmark,
                    json.integer("questions"),
                    json.integer("answered"),
                    (long) json.number("new_tokens"),
                    json.number("seconds"),
                    rate(json, "questions_per_second"),
                    rate(json, "tokens_per_second"),
                    rate(json, "image_wait_fraction"),
                    json.integer("chunks"),
                    json.integer("max_new_tokens"),
                    json.string("conv_mode"),
                    json.string("image_policy"),
                    json.string("score_error", null));
        } catch (IllegalArgumentException e) {
            throw new EvalInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** A rate, or null when the job wrote null: nothing was answered in that run (a re-run of a finished one). */
    private static Double rate(JsonFile json, String key) {
        if (!json.node().has(key)) {
            throw new EvalInputException(json.file() + ": no key \"" + key + "\" (a number, or null)");
        }
        return json.isNull(key) ? null : json.number(key);
    }
}
