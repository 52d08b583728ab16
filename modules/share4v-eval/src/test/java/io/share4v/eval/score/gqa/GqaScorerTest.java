package io.share4v.eval.score.gqa;

import static io.share4v.eval.score.ScorerHarness.resource;
import static io.share4v.eval.score.ScorerHarness.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GQA testdev-balanced: real answers with synthetic ground truth (gqa/NOTICE.md). */
class GqaScorerTest {
    @TempDir
    Path dir;

    @Test
    void conversionAsConvertGqaForEval() {
        assertEquals("tank top", GqaPrediction.of("Tank top"));
        assertEquals("yes", GqaPrediction.of("Yes."));
        assertEquals("mr", GqaPrediction.of("Mr."));
        assertEquals("no", GqaPrediction.of("No..."));
        assertEquals("the cat", GqaPrediction.of("The cat"));
    }

    @Test
    void excerpt() {
        ObjectNode out = score(
                new GqaScorer(),
                resource("gqa/answers.jsonl"),
                null,
                resource("gqa/testdev_balanced_questions.json"),
                false);
        // By hand: binary (verify/choose) 3 of 4 right, open (query) 3 of 6; the unbalanced question is not scored.
        assertEquals(60.0, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(75.0, out.get("binary").doubleValue(), 1e-9);
        assertEquals(50.0, out.get("open").doubleValue(), 1e-9);
        assertEquals(10, out.get("questions").intValue());
    }

    @Test
    void integerIdsDoNotMatchGqasStringIds() throws IOException {
        Path answers = Files.writeString(dir.resolve("a.jsonl"), "{\"question_id\": 201307251, \"text\": \"No\"}\n");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new GqaScorer(), answers, null, resource("gqa/testdev_balanced_questions.json"), true));
        assertTrue(e.getMessage().contains("does not have: 201307251"), e.getMessage());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(answers, Files.readAllLines(resource("gqa/answers.jsonl")).subList(0, 2));
        Path truth = resource("gqa/testdev_balanced_questions.json");
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> score(new GqaScorer(), answers, null, truth, false));
        assertTrue(e.getMessage().contains("8 of 10 questions"), e.getMessage());
        assertEquals(
                100.0,
                score(new GqaScorer(), answers, null, truth, true)
                        .get("accuracy")
                        .doubleValue(),
                1e-9);
    }

    @Test
    void malformedQuestionsNameTheQuestion() throws IOException {
        Path bad = Files.writeString(dir.resolve("q.json"), "{\"1\": {\"answer\": \"no\", \"isBalanced\": true}}");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new GqaScorer(), resource("gqa/answers.jsonl"), null, bad, false));
        assertTrue(e.getMessage().contains(bad + ": question 1: no \"types\" object"), e.getMessage());
    }

    /** Published LLaVA-1.5-13B GQA: 63.3 (needs testdev_balanced_questions.json beside the answers). */
    @Test
    void fullFileReproducesThePublishedNumber() {
        ObjectNode out = score(
                new GqaScorer(),
                EvalData.require("llava-v1.5-eval/gqa/answers/llava_gqa_testdev_balanced/llava-v1.5-13b.jsonl"),
                null,
                EvalData.require("llava-v1.5-eval/gqa/testdev_balanced_questions.json"),
                false);
        assertEquals(
                new BigDecimal("63.3"),
                new BigDecimal(out.get("accuracy").doubleValue()).setScale(1, RoundingMode.HALF_EVEN));
    }
}
