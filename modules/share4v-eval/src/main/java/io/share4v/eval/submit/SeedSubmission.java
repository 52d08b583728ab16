package io.share4v.eval.submit;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.answers.PythonJson;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.seed.SeedBench;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The SEED-Bench leaderboard file, as LLaVA's {@code convert_seed_for_submission.py} writes it: one line
 * {@code {"question_id": "<id as in SEED-Bench.json>", "prediction": "<answer text>"}} per question, in
 * {@code SEED-Bench.json} order, formatted as Python's {@code json.dumps}. The script needs every question answered;
 * here that is the questions in the answers' scope (image only, or all when videos were answered), as the scorer
 * takes it.
 */
public final class SeedSubmission {
    private SeedSubmission() {}

    /** Writes {@code out}; returns the number of lines. */
    public static int write(SeedBench bench, AnswerFile answers, Path out) {
        List<SeedBench.Question> scope = bench.scope(answers);
        Coverage.check(
                answers,
                scope.stream().map(SeedBench.Question::answerKey).toList(),
                bench.source().toString(),
                false);
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (SeedBench.Question q : scope) {
                w.write("{\"question_id\": " + PythonJson.string(q.questionId()) + ", \"prediction\": "
                        + PythonJson.string(answers.get(q.answerKey()).text()) + "}\n");
            }
        } catch (IOException e) {
            throw new EvalInputException(out + ": cannot be written (" + e.getMessage() + ")", e);
        }
        return scope.size();
    }
}
