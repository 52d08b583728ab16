package io.share4v.eval.score.mmvet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MM-Vet from stored GPT-4 grades ({@code --annotations}, a {@code *_gpt-4-grade-<n>runs.json} file): the judge
 * ({@code gpt-4-0613}) is not called; the grades are summarised as {@code mm-vet_evaluator.py} does
 * ({@link MmVetSummary}). Per-capability numbers need the benchmark's metadata ({@code --questions mm-vet.json}), which
 * then also fixes the question set; without it the graded questions are the question set. Every question must be
 * graded and answered (unless {@code --allow-partial}, which summarises the answered ones).
 *
 * <p>Prints {@code judge}, {@code total} (the headline), {@code std}, {@code runs} and, with the metadata,
 * {@code capabilities} and {@code capability_integrations}.
 */
public final class MmVetScorer implements Scorer {
    static final String JUDGE = "stored reviews/grades; the GPT-4 judge is not called offline";

    @Override
    public String name() {
        return "mmvet";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        Path file = request.requireAnnotations("a stored MM-Vet grade file (results/<model>_gpt-4-grade-1runs.json)");
        MmVetGrades grades = MmVetGrades.read(file);
        Map<String, List<String>> caps =
                request.questions() == null ? null : MmVetCapabilities.read(request.questions());
        List<String> expected = new ArrayList<>(caps == null ? grades.scores().keySet() : caps.keySet());
        List<String> ungraded =
                expected.stream().filter(q -> !grades.scores().containsKey(q)).toList();
        if (!ungraded.isEmpty()) {
            throw new EvalInputException(file + ": " + ungraded.size() + " of " + expected.size() + " questions of "
                    + request.questions() + " are not graded, e.g. v1_" + ungraded.get(0));
        }
        List<String> unknown =
                grades.scores().keySet().stream().filter(q -> !caps(caps, q)).toList();
        if (!unknown.isEmpty()) {
            throw new EvalInputException(file + ": grades " + unknown.size() + " questions that " + request.questions()
                    + " does not have, e.g. v1_" + unknown.get(0));
        }
        AnswerFile answers = request.answers();
        Coverage coverage = Coverage.check(answers, expected, file.toString(), request.allowPartial());
        List<String> scored =
                expected.stream().filter(q -> answers.get(q) != null).toList();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("judge", JUDGE);
        MmVetSummary.describe(out, scored, grades, caps);
        coverage.describe(out);
        return out;
    }

    private static boolean caps(Map<String, List<String>> caps, String question) {
        return caps == null || caps.containsKey(question);
    }
}
