package io.share4v.eval.score;

import static io.share4v.eval.score.ScorerHarness.resource;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one rule for a score over nothing: an answers file that answers none of the ground truth's questions is refused
 * by every scorer, with or without {@code --allow-partial}, in the same words (a partial score over no question would
 * print null or NaN accuracies that look like results).
 */
class NothingAnsweredTest {
    /** Per scorer: its {@code --questions} (or null) and {@code --annotations}, from the committed excerpts. */
    private static final Map<String, Path[]> GROUND_TRUTH = groundTruth();

    @TempDir
    Path tmp;

    private static Map<String, Path[]> groundTruth() {
        Map<String, Path[]> m = new TreeMap<>();
        m.put("gqa", new Path[] {null, resource("gqa/testdev_balanced_questions.json")});
        m.put("llava_bench", new Path[] {null, resource("llava-bench/reviews-eval1.jsonl")});
        m.put("mmbench", new Path[] {null, resource("mmbench/mmbench_dev.excerpt.tsv")});
        m.put("mmbench_cn", new Path[] {null, resource("mmbench/mmbench_dev.excerpt.tsv")});
        m.put("mme", new Path[] {null, resource("mme/ground-truth")});
        m.put("mmvet", new Path[] {resource("mmvet/mm-vet-synthetic.json"), resource("mmvet/grades-3runs.json")});
        m.put("pope", new Path[] {resource("pope/llava_pope_test.jsonl"), resource("pope/annotations")});
        m.put("qbench", new Path[] {null, resource("qbench/llvisionqa_dev.json")});
        m.put("seed", new Path[] {null, resource("seed/SEED-Bench.excerpt.json")});
        m.put("sqa", new Path[] {resource("sqa/llava_test_CQM-A.excerpt.json"), null});
        m.put("textvqa", new Path[] {null, resource("textvqa/TextVQA_0.5.1_val.json")});
        m.put("vizwiz", new Path[] {resource("vizwiz/llava_test.jsonl"), resource("vizwiz/val.json")});
        m.put("vqav2", new Path[] {null, resource("vqav2/annotations.json")});
        return m;
    }

    static Iterable<String> names() {
        return Scorers.names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void anEmptyAnswersFileIsRefusedEvenWhenPartialScoringIsAllowed(String name) throws IOException {
        Path[] truth = GROUND_TRUTH.get(name);
        assertTrue(truth != null, "no ground truth for scorer " + name + " in this test: add it");
        Path empty = Files.writeString(tmp.resolve(name + "-answers.jsonl"), "\n");
        for (boolean allowPartial : new boolean[] {true, false}) {
            EvalInputException e = assertThrows(
                    EvalInputException.class,
                    () -> Scorers.named(name).score(empty, truth[0], truth[1], allowPartial),
                    name + " scored nothing (allowPartial " + allowPartial + ")");
            assertTrue(e.getMessage().startsWith(empty + ": no answers to any of the "), e.getMessage());
            assertTrue(
                    e.getMessage().matches(".*: no answers to any of the [1-9][0-9]* questions of .+"), e.getMessage());
        }
    }
}
