package io.share4v.eval.score.mme;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MME, scored as LLaVA's {@code convert_answer_to_mme.py} followed by MME's official {@code calculation.py}: per
 * subtask acc and acc+ ({@link MmeSubtaskScore}), perception = the sum of the 10 perception subtask scores (at most
 * 2000), cognition = the sum of the 4 cognition ones (at most 800).
 *
 * <p>The answers are LLaVA's answer file (the loader runner's jsonl; {@code --annotations}: the ground-truth
 * directory, {@code <subtask>.txt} with {@code image \t question \t Yes|No} lines as the eval tool's
 * {@code Your_Results} templates) or, when {@code --answers} is a directory, the eval tool's results layout with the
 * model's answer as a fourth field; the ground truth is then its third field, and {@code --annotations}, if given,
 * is checked against it.
 *
 * <p>Prints {@code perception}, {@code cognition}, {@code subtasks} ({@code {name: {acc, acc_plus, score, other}}},
 * acc and acc+ in percent, other = answers that are neither yes nor no) and the coverage keys.
 */
public final class MmeScorer implements Scorer {
    private static final String ANNOTATIONS = "the MME ground-truth directory (<subtask>.txt files, lines"
            + " image \\t question \\t Yes|No, as the eval tool's Your_Results)";

    @Override
    public String name() {
        return "mme";
    }

    /** An image's two questions share a {@code question_id}; the prompt tells them apart, as in the reference. */
    @Override
    public AnswerFile readAnswers(Path file) {
        return AnswerFile.read(file, LlavaMmeAnswers.FORMAT);
    }

    @Override
    public ObjectNode score(Path answers, Path questions, Path annotations, boolean allowPartial) {
        if (Files.isDirectory(answers)) {
            return scoreResultsDirectory(answers, questions, annotations, allowPartial);
        }
        return Scorer.super.score(answers, questions, annotations, allowPartial);
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        MmeGroundTruth truth = MmeGroundTruth.read(request.requireAnnotations(ANNOTATIONS));
        AnswerFile answers = request.answers();
        if (request.questions() != null) {
            MmeQuestionFile.checkAnswers(answers, request.questions());
        }
        LlavaMmeAnswers matcher = new LlavaMmeAnswers(truth);
        List<String> keys = new ArrayList<>();
        for (Answer a : answers.answers()) {
            keys.add(matcher.key(answers.file(), a));
        }
        Coverage coverage =
                Coverage.check(answers.file(), keys, truth.keys(), truth.dir().toString(), request.allowPartial());
        return result(matcher.rows(answers), coverage);
    }

    private ObjectNode scoreResultsDirectory(Path dir, Path questions, Path annotations, boolean allowPartial) {
        if (questions != null) {
            throw new EvalInputException("--questions " + questions + ": not used with an MME results directory (" + dir
                    + " holds the questions)");
        }
        List<MmeSubtask> absent = new ArrayList<>();
        List<MmeRow> rows = MmeResultsDirectory.read(dir, absent);
        List<String> keys = rows.stream()
                .map(r -> MmeGroundTruth.Question.key(r.subtask(), r.image(), r.question()))
                .toList();
        Coverage coverage;
        if (annotations != null) {
            MmeGroundTruth truth = MmeGroundTruth.read(annotations);
            coverage = Coverage.check(dir, keys, truth.keys(), annotations.toString(), allowPartial);
            for (MmeRow r : rows) {
                MmeGroundTruth.Question q =
                        truth.get(MmeGroundTruth.Question.key(r.subtask(), r.image(), r.question()));
                if (q.truthYes() != r.truthYes()) {
                    throw new EvalInputException(dir.resolve(r.subtask().resultsFile()) + ": the ground truth of "
                            + q.key() + " differs from " + annotations);
                }
            }
        } else {
            if (!absent.isEmpty()) {
                throw new EvalInputException(dir + ": no results file for "
                        + absent.stream().map(MmeSubtask::resultsFile).toList()
                        + " (calculation.py reads all 14; with --annotations and --allow-partial the"
                        + " present ones can be scored)");
            }
            coverage = Coverage.check(dir, keys, keys, dir.toString(), allowPartial);
        }
        return result(rows, coverage);
    }

    /** {@code calculation.py}'s sums; with a partial score, subtasks without answers are left out. */
    private static ObjectNode result(List<MmeRow> rows, Coverage coverage) {
        Map<MmeSubtask, MmeSubtaskScore> scores =
                MmeSubtaskScore.of(rows, !coverage.missing().isEmpty());
        double perception = 0;
        double cognition = 0;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode subtasks = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<MmeSubtask, MmeSubtaskScore> e : scores.entrySet()) {
            MmeSubtaskScore s = e.getValue();
            if (e.getKey().part() == MmeSubtask.Part.PERCEPTION) {
                perception += s.score();
            } else {
                cognition += s.score();
            }
            subtasks.putObject(e.getKey().label())
                    .put("acc", s.acc())
                    .put("acc_plus", s.accPlus())
                    .put("score", s.score())
                    .put("other", s.other());
        }
        out.put("perception", perception);
        out.put("cognition", cognition);
        out.set("subtasks", subtasks);
        coverage.describe(out);
        return out;
    }
}
