package io.share4v.eval.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.run.AnswerStats;
import java.util.Locale;

/**
 * One benchmark of a finished run.
 *
 * @param benchmark  the benchmark
 * @param questions  questions in the question file
 * @param answered   answers in the merged answer file (= questions)
 * @param resumed    of those, found from an earlier run
 * @param stats      this run's answering, summed over the chunks (task time, not wall time)
 * @param answers    the merged answer file
 * @param score      the scorer's numbers, or null (not scored, or scoring failed)
 * @param scoreError why scoring failed, or null
 */
public record BenchmarkResult(
        String benchmark,
        int questions,
        int answered,
        int resumed,
        AnswerStats stats,
        java.nio.file.Path answers,
        ObjectNode score,
        String scoreError) {
    /** The console line: counts, speed, and the score file's headline or the scoring error. */
    public String summaryLine() {
        return String.format(
                Locale.ROOT,
                "%s: %d questions, %d answered (%d this run), %.2f questions/s, %.1f tokens/s per task, answers %s%s",
                benchmark,
                questions,
                answered,
                stats.questions(),
                finite(stats.questionsPerSecond()),
                finite(stats.tokensPerSecond()),
                answers,
                scoreError != null ? ", score failed: " + scoreError : score != null ? ", score " + score : "");
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
