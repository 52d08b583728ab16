package io.share4v.eval.score.mmbench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.Percentages;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import io.share4v.eval.score.mmbench.MmbenchAnswerKey.Question;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * MMBench (or MMBench-CN) dev with CircularEval, as VLMEvalKit's {@code mcq_circular_eval} scores it: a question
 * counts only if every rotated copy of it in the answer key (same {@code index % 1,000,000}) is answered with its own
 * right letter. Each answer's letter is read by the rule-based stage ({@link OptionMatcher}); the GPT-judge fallback
 * cannot run offline, so the output says {@code "judge_fallback": "not run"} and counts the {@code unmatched}
 * answers (scored wrong). {@code --annotations}: the dev TSV, or LLaVA's dev upload xlsx (it keeps the answers).
 *
 * <p>Keys: {@code circular_accuracy} (percent of groups), {@code groups}, {@code groups_correct},
 * {@code vanilla_accuracy} (the first pass: the original questions only), {@code row_accuracy} (every row),
 * {@code rows}, {@code unmatched}, {@code judge_fallback}, and when the table has them {@code categories} and
 * {@code l2_categories} (circular accuracy per {@code category} / {@code l2-category} of the original question), and
 * the coverage. With {@code --allow-partial} the groups are made of the answered rows.
 */
public final class MmbenchScorer implements Scorer {
    private final String name;

    /** {@code name}: {@code mmbench} or {@code mmbench_cn} (the same rules; only the runner's prompt differs). */
    public MmbenchScorer(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        MmbenchAnswerKey key = MmbenchAnswerKey.read(request.requireAnnotations(
                "the dev TSV with its answer column, or LLaVA's dev upload xlsx (index, A-D, answer)"));
        List<String> ids = new ArrayList<>();
        for (Question q : key.questions()) {
            ids.add(Long.toString(q.index()));
        }
        Coverage coverage = Coverage.check(request.answers(), ids, key.source().toString(), request.allowPartial());

        Map<Long, Group> groups = new LinkedHashMap<>();
        int rows = 0;
        int rowsRight = 0;
        int unmatched = 0;
        for (Question q : key.questions()) {
            Answer a = request.answers().get(Long.toString(q.index()));
            if (a == null) {
                continue;
            }
            String letter = OptionMatcher.match(a.text(), q.choices());
            unmatched += letter.equals(OptionMatcher.UNMATCHED) ? 1 : 0;
            boolean right = letter.equals(q.answer());
            rows++;
            rowsRight += right ? 1 : 0;
            groups.computeIfAbsent(q.group(), g -> new Group()).add(q, right);
        }

        int groupsRight = 0;
        int firstPass = 0;
        int firstPassRight = 0;
        for (Group g : groups.values()) {
            groupsRight += g.allRight ? 1 : 0;
            if (g.original != null) {
                firstPass++;
                firstPassRight += g.originalRight ? 1 : 0;
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Percentages.put(out, "circular_accuracy", groupsRight, groups.size());
        out.put("groups", groups.size());
        out.put("groups_correct", groupsRight);
        Percentages.put(out, "vanilla_accuracy", firstPassRight, firstPass);
        Percentages.put(out, "row_accuracy", rowsRight, rows);
        out.put("rows", rows);
        out.put("unmatched", unmatched);
        out.put("judge_fallback", "not run");
        perCategory(out, "categories", groups, Question::category);
        perCategory(out, "l2_categories", groups, Question::l2Category);
        coverage.describe(out);
        return out;
    }

    /** Circular accuracy per value of {@code field} of each group's original question (omitted if none has one). */
    private static void perCategory(
            ObjectNode out, String key, Map<Long, Group> groups, Function<Question, String> field) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            String value = g.original == null ? null : field.apply(g.original);
            if (value != null) {
                int[] c = counts.computeIfAbsent(value, v -> new int[2]);
                c[0] += g.allRight ? 1 : 0;
                c[1]++;
            }
        }
        if (!counts.isEmpty()) {
            ObjectNode node = out.putObject(key);
            counts.forEach((value, c) -> Percentages.put(node, value, c[0], c[1]));
        }
    }

    /** The answered rows of one question and its rotations. */
    private static final class Group {
        Question original;
        boolean originalRight;
        boolean allRight = true;

        void add(Question q, boolean right) {
            allRight &= right;
            if (q.index() < MmbenchAnswerKey.COPY_OFFSET) {
                original = q;
                originalRight = right;
            }
        }
    }
}
