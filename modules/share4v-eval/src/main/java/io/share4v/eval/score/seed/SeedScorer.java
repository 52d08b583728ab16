package io.share4v.eval.score.seed;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.Percentages;
import io.share4v.eval.score.ScoreRequest;
import io.share4v.eval.score.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SEED-Bench, scored as LLaVA's {@code convert_seed_for_submission.py}: an answer is right only if its text equals
 * the answer letter exactly (no stripping or parsing: {@code "A."} is wrong); accuracies are micro-averaged (correct
 * over questions), per dimension and over the image questions, the SEED-image number. {@code --annotations}:
 * {@code SEED-Bench.json}.
 *
 * <p>Which questions must be answered follows the answers: image questions only (ShareGPT4V's
 * {@code share4v-seed-bench-image.jsonl}), or, when any video question is answered (LLaVA's
 * {@code llava-seed-bench.jsonl}, videos as middle frames), all of them. A question listed twice in
 * {@code SEED-Bench.json} (LLaVA's upload shows id 49914 twice) counts twice, as in the script.
 *
 * <p>Keys: {@code accuracy} (percent, image questions), {@code correct}, {@code total}, {@code dimensions} (name to
 * {@code {id, accuracy, correct, total}}), with videos also {@code video_accuracy} and {@code all_accuracy}, and the
 * coverage.
 */
public final class SeedScorer implements Scorer {
    @Override
    public String name() {
        return "seed";
    }

    @Override
    public ObjectNode score(ScoreRequest request) {
        SeedBench bench = SeedBench.read(request.requireAnnotations("SEED-Bench.json (questions with answers)"));
        List<SeedBench.Question> scope = bench.scope(request.answers());
        List<String> keys = new ArrayList<>();
        for (SeedBench.Question q : scope) {
            keys.add(q.answerKey());
        }
        Coverage coverage =
                Coverage.check(request.answers(), keys, bench.source().toString(), request.allowPartial());

        Map<Integer, int[]> byDimension = new TreeMap<>();
        int[] image = new int[2];
        int[] video = new int[2];
        for (SeedBench.Question q : scope) {
            Answer a = request.answers().get(q.answerKey());
            if (a == null) {
                continue;
            }
            int right = a.text().equals(q.answer()) ? 1 : 0;
            for (int[] c :
                    List.of(byDimension.computeIfAbsent(q.dimension(), d -> new int[2]), q.image() ? image : video)) {
                c[0] += right;
                c[1]++;
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Percentages.put(out, "accuracy", image[0], image[1]);
        out.put("correct", image[0]);
        out.put("total", image[1]);
        if (video[1] > 0) {
            Percentages.put(out, "video_accuracy", video[0], video[1]);
            Percentages.put(out, "all_accuracy", image[0] + video[0], image[1] + video[1]);
        }
        ObjectNode dims = out.putObject("dimensions");
        byDimension.forEach((id, c) -> {
            ObjectNode d = dims.putObject(bench.dimensions().getOrDefault(id, "dimension " + id));
            d.put("id", id);
            Percentages.put(d, "accuracy", c[0], c[1]);
            d.put("correct", c[0]);
            d.put("total", c[1]);
        });
        coverage.describe(out);
        return out;
    }
}
