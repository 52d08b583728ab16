package io.share4v.eval.score.mmvet;

import static io.share4v.eval.score.ScorerHarness.resource;
import static io.share4v.eval.score.ScorerHarness.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MM-Vet aggregation of stored GPT-4 grades, as mm-vet_evaluator.py's summary. */
class MmVetScorerTest {
    private static final String DIR = "llava-v1.5-eval/mm-vet/";

    @TempDir
    Path dir;

    @Test
    void excerptWithCapabilities() {
        ObjectNode out = score(
                new MmVetScorer(),
                resource("mmvet/answers.jsonl"),
                resource("mmvet/mm-vet-synthetic.json"),
                resource("mmvet/grades-3runs.json"),
                false);
        assertEquals(MmVetScorer.JUDGE, out.get("judge").textValue());
        // By hand: run sums over the 10 questions 5.7, 6.2, 6.4 -> totals 57, 62, 64; mean 61.0; population std
        // sqrt((16 + 1 + 9) / 3) = 2.94 -> 2.9.
        assertEquals(61.0, out.get("total").doubleValue());
        assertEquals(2.9, out.get("std").doubleValue());
        assertEquals("[57.0,62.0,64.0]", out.get("runs").toString());
        JsonNode caps = out.get("capabilities");
        // Most frequent first: rec (6 questions), ocr (5), then math, know, spat (2, in order of first appearance),
        // gen (1). rec: (4.0 + 4.3 + 4.7) / 6 / 3 x 100 = 72.2; ocr: (2.6 + 2.6 + 2.4) / 5 / 3 x 100 = 50.7;
        // know (q20, q39): 63.3; spat (q45, q146): 53.3; gen (q39): 26.7; math: 0.
        List<String> names = new ArrayList<>();
        caps.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("rec", "ocr", "math", "know", "spat", "gen"), names);
        assertEquals(72.2, caps.get("rec").doubleValue());
        assertEquals(50.7, caps.get("ocr").doubleValue());
        assertEquals(63.3, caps.get("know").doubleValue());
        assertEquals(53.3, caps.get("spat").doubleValue());
        assertEquals(26.7, caps.get("gen").doubleValue());
        assertEquals(0.0, caps.get("math").doubleValue());
        JsonNode integrations = out.get("capability_integrations");
        assertEquals(100.0, integrations.get("rec").doubleValue());
        assertEquals(30.0, integrations.get("rec_spat").doubleValue());
        assertEquals(76.7, integrations.get("ocr_spat").doubleValue());
        assertEquals(26.7, integrations.get("gen_know_rec").doubleValue());
    }

    @Test
    void withoutMetadataTheGradedQuestionsAreTheSet() {
        ObjectNode out = score(
                new MmVetScorer(), resource("mmvet/answers.jsonl"), null, resource("mmvet/grades-3runs.json"), false);
        assertEquals(61.0, out.get("total").doubleValue());
        assertFalse(out.has("capabilities"));
    }

    /** The spec's test vectors from LLaVA-1.5's stored grade files. */
    @Test
    void fullFilesReproduceThePublishedAggregates() {
        ObjectNode one = score(
                new MmVetScorer(),
                EvalData.require(DIR + "answers/llava-v1.5-13b.jsonl"),
                null,
                EvalData.require(DIR + "results/llava-v1.5-13b_gpt-4-grade-1runs.json"),
                false);
        assertEquals(36.1, one.get("total").doubleValue());
        assertEquals(218, one.get("questions").intValue());
        ObjectNode three = score(
                new MmVetScorer(),
                EvalData.require(DIR + "answers/llava-v1.5-13b.jsonl"),
                null,
                EvalData.require(DIR + "results/llava-v1.5-13b_gpt-4-grade-3runs.json"),
                false);
        assertEquals(36.3, three.get("total").doubleValue());
        assertEquals(0.2, three.get("std").doubleValue());
        assertEquals("[36.1,36.5,36.3]", three.get("runs").toString());
        ObjectNode seven = score(
                new MmVetScorer(),
                EvalData.require(DIR + "answers/llava-v1.5-7b.jsonl"),
                null,
                EvalData.require(DIR + "results/llava-v1.5-7b_gpt-4-grade-1runs.json"),
                false);
        assertEquals(31.2, seven.get("total").doubleValue());
    }

    @Test
    void ungradedQuestionsOfTheMetadataFail() throws IOException {
        String grades = Files.readString(resource("mmvet/grades-3runs.json"));
        Path fewer = Files.writeString(dir.resolve("g.json"), grades.replace("\"v1_146\"", "\"v1_999\""));
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(
                        new MmVetScorer(),
                        resource("mmvet/answers.jsonl"),
                        resource("mmvet/mm-vet-synthetic.json"),
                        fewer,
                        false));
        assertTrue(
                e.getMessage().contains("1 of 10 questions") && e.getMessage().contains("v1_146"), e.getMessage());
    }

    @Test
    void unevenRunsAreAnUnfinishedGrading() throws IOException {
        Path uneven = Files.writeString(
                dir.resolve("g.json"), "{\"v1_0\": {\"score\": [0.5, 1.0]}, \"v1_1\": {\"score\": [0.5]}}");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new MmVetScorer(), resource("mmvet/answers.jsonl"), null, uneven, true));
        assertTrue(e.getMessage().contains(uneven + ": v1_1 has 1 graded runs"), e.getMessage());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(answers, Files.readAllLines(resource("mmvet/answers.jsonl")).subList(2, 6));
        Path grades = resource("mmvet/grades-3runs.json");
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> score(new MmVetScorer(), answers, null, grades, false));
        assertTrue(e.getMessage().contains("6 of 10 questions"), e.getMessage());
        // Answered: v1_17, 18, 20, 24, all graded 1.0.
        assertEquals(
                100.0,
                score(new MmVetScorer(), answers, null, grades, true)
                        .get("total")
                        .doubleValue());
    }
}
