package io.share4v.eval.score.pope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.ScoreRequest;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * LLaVA-1.5-13B's POPE answers against the POPE labels at the commit LLaVA pins: the confusion counts eval_pope.py
 * prints and the published mean F1 85.9 (the computed value, unrounded, must round to it).
 */
class PopeRealDataTest {
    @Test
    void llava13bMeanF1() {
        ObjectNode out = new PopeScorer()
                .score(new ScoreRequest(
                        "pope",
                        AnswerFile.read(EvalData.require("llava-v1.5-eval/pope/answers/llava-v1.5-13b.jsonl")),
                        EvalData.require("llava-v1.5-eval/pope/llava_pope_test.jsonl"),
                        EvalData.require("pope"),
                        false));
        assertCounts(out.get("adversarial"), 1182, 117, 1383, 318, "0.845", "0.855", "0.910", "0.788", "0.433");
        assertCounts(out.get("popular"), 1182, 59, 1441, 318, "0.862", "0.874", "0.952", "0.788", "0.414");
        assertCounts(out.get("random"), 1182, 31, 1379, 318, "0.871", "0.880", "0.974", "0.788", "0.417");
        assertEquals(85.95, out.get("f1").doubleValue(), 0.005);
        assertEquals("85.9", String.format(Locale.ROOT, "%.1f", out.get("f1").doubleValue()));
        assertEquals(8910, out.get("answered").intValue());
    }

    /** Counts, then F1, accuracy, precision, recall, yes-ratio as eval_pope.py prints them (fractions, 3 places). */
    private static void assertCounts(JsonNode split, int tp, int fp, int tn, int fn, String... printed) {
        assertEquals(tp, split.get("tp").intValue());
        assertEquals(fp, split.get("fp").intValue());
        assertEquals(tn, split.get("tn").intValue());
        assertEquals(fn, split.get("fn").intValue());
        String[] keys = {"f1", "accuracy", "precision", "recall", "yes_ratio"};
        for (int i = 0; i < keys.length; i++) {
            assertEquals(
                    printed[i],
                    String.format(Locale.ROOT, "%.3f", split.get(keys[i]).doubleValue() / 100),
                    keys[i]);
        }
    }
}
