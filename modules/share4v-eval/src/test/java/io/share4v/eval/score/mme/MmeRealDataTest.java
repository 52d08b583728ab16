package io.share4v.eval.score.mme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The published numbers from the real files: MME's own LaVIN example (963.6 / 249.6, the MME leaderboard entry) and
 * LLaVA-1.5-13B (1531.3 / 295.4 in the LLaVA-1.5 paper), both from the eval tool's results layout and, for 13B,
 * from LLaVA's answer jsonl. Printed numbers are rounded to 0.1; the computed ones are compared unrounded with the
 * official calculation.py's output (to 1e-4) and must round to the published ones.
 */
class MmeRealDataTest {
    private static final MmeScorer MME = new MmeScorer();

    private static void assertScores(
            ObjectNode out, double perception, double cognition, String publishedP, String publishedC) {
        assertEquals(perception, out.get("perception").doubleValue(), 1e-4);
        assertEquals(cognition, out.get("cognition").doubleValue(), 1e-4);
        assertEquals(
                publishedP,
                String.format(Locale.ROOT, "%.1f", out.get("perception").doubleValue()));
        assertEquals(
                publishedC,
                String.format(Locale.ROOT, "%.1f", out.get("cognition").doubleValue()));
        assertEquals(14, out.get("subtasks").size());
        assertEquals(2374, out.get("questions").intValue());
        assertEquals(2374, out.get("answered").intValue());
    }

    @Test
    void lavinExampleResultsDirectory() {
        ObjectNode out = MME.score(EvalData.require("mme-eval-tool/LaVIN"), null, null, false);
        assertScores(out, 963.6114, 249.6429, "963.6", "249.6");
        // calculation.py's per-subtask scores for the example.
        Map<String, Double> expected = Map.ofEntries(
                Map.entry("existence", 185.0),
                Map.entry("count", 88.3333),
                Map.entry("position", 63.3333),
                Map.entry("color", 75.0),
                Map.entry("posters", 79.5918),
                Map.entry("celebrity", 47.3529),
                Map.entry("scene", 136.75),
                Map.entry("landmark", 93.5),
                Map.entry("artwork", 87.25),
                Map.entry("OCR", 107.5),
                Map.entry("commonsense_reasoning", 87.1429),
                Map.entry("numerical_calculation", 65.0),
                Map.entry("text_translation", 47.5),
                Map.entry("code_reasoning", 50.0));
        expected.forEach((name, score) ->
                assertEquals(score, out.get("subtasks").get(name).get("score").doubleValue(), 1e-4, name));
    }

    @Test
    void llava13bResultsDirectoryCheckedAgainstTheGroundTruth() {
        ObjectNode out = MME.score(
                EvalData.require("mme-eval-tool/llava-v1.5-13b"),
                null,
                EvalData.require("mme-eval-tool/Your_Results"),
                false);
        assertScores(out, 1531.3187, 295.3571, "1531.3", "295.4");
    }

    @Test
    void llava13bAnswerJsonl() {
        Path answers = EvalData.require("llava-v1.5-eval/MME/answers/llava-v1.5-13b.jsonl");
        ObjectNode out = MME.score(
                answers,
                EvalData.require("llava-v1.5-eval/MME/llava_mme.jsonl"),
                EvalData.require("mme-eval-tool/Your_Results"),
                false);
        assertScores(out, 1531.3187, 295.3571, "1531.3", "295.4");
        Map<String, Double> expected = Map.ofEntries(
                Map.entry("existence", 185.0),
                Map.entry("count", 155.0),
                Map.entry("position", 133.3333),
                Map.entry("color", 170.0),
                Map.entry("posters", 160.5442),
                Map.entry("celebrity", 152.9412),
                Map.entry("scene", 161.25),
                Map.entry("landmark", 170.5),
                Map.entry("artwork", 117.75),
                Map.entry("OCR", 125.0),
                Map.entry("commonsense_reasoning", 127.8571),
                Map.entry("numerical_calculation", 42.5),
                Map.entry("text_translation", 77.5),
                Map.entry("code_reasoning", 47.5));
        expected.forEach((name, score) ->
                assertEquals(score, out.get("subtasks").get(name).get("score").doubleValue(), 1e-4, name));
    }
}
