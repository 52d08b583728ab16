package io.share4v.eval.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a benchmark's questions an answers file covers. A score is never computed silently over a subset: with
 * questions unanswered the check fails, naming them, unless partial scoring was asked for ({@code --allow-partial}),
 * and then the score says how many were missing; with none answered it always fails (no score over nothing). An answer to a question the ground truth does not have is always an
 * error (a file of another benchmark or split).
 *
 * @param expected questions of the ground truth
 * @param answered of those, the ones the file answers
 * @param missing  the unanswered ones, in ground-truth order
 */
public record Coverage(int expected, int answered, List<String> missing) {
    /** Ids named in a message, at most. */
    private static final int SHOWN = 20;

    /**
     * Checks {@code answers} against the ground truth's question ids {@code expectedKeys} ({@link Answer#key}
     * form), read from {@code groundTruth} (named in messages).
     */
    public static Coverage check(
            AnswerFile answers, Collection<String> expectedKeys, String groundTruth, boolean allowPartial) {
        List<String> answered = new ArrayList<>();
        for (Answer a : answers.answers()) {
            answered.add(a.key());
        }
        return check(answers.file(), answered, expectedKeys, groundTruth, allowPartial);
    }

    /**
     * The same check for answers that are not a LLaVA answer file (a benchmark's own results layout): {@code
     * answeredKeys} are the questions {@code answersFile} answers, each at most once.
     */
    public static Coverage check(
            Path answersFile,
            List<String> answeredKeys,
            Collection<String> expectedKeys,
            String groundTruth,
            boolean allowPartial) {
        Set<String> expected = new LinkedHashSet<>(expectedKeys);
        Set<String> answered = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        for (String key : answeredKeys) {
            if (!expected.contains(key)) {
                unknown.add(key);
            } else if (!answered.add(key)) {
                repeated.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new EvalInputException(answersFile + ": " + unknown.size() + " of " + answeredKeys.size()
                    + " answers are to questions that " + groundTruth + " does not have: " + shown(unknown));
        }
        if (!repeated.isEmpty()) {
            throw new EvalInputException(
                    answersFile + ": " + repeated.size() + " questions are answered twice: " + shown(repeated));
        }
        // One rule for every scorer: a score over no question means nothing (accuracies would be null, MME's sums
        // 0), so an answers file that answers none of them is refused, partial scoring or not.
        if (answered.isEmpty()) {
            throw new EvalInputException(
                    answersFile + ": no answers to any of the " + expected.size() + " questions of " + groundTruth);
        }
        List<String> missing = new ArrayList<>();
        for (String id : expected) {
            if (!answered.contains(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty() && !allowPartial) {
            throw new EvalInputException(answersFile + ": " + missing.size() + " of " + expected.size()
                    + " questions of " + groundTruth + " have no answer: " + shown(missing)
                    + " (score the answered ones only with --allow-partial)");
        }
        return new Coverage(expected.size(), expected.size() - missing.size(), List.copyOf(missing));
    }

    /** Adds {@code "questions"}, {@code "answered"} and, when partial, {@code "missing"} (a count) to {@code out}. */
    public void describe(ObjectNode out) {
        out.put("questions", expected);
        out.put("answered", answered);
        if (!missing.isEmpty()) {
            out.put("missing", missing.size());
            out.put("partial", true);
        }
    }

    private static String shown(List<String> ids) {
        return String.join(", ", ids.subList(0, Math.min(SHOWN, ids.size()))) + (ids.size() > SHOWN ? ", ..." : "");
    }
}
