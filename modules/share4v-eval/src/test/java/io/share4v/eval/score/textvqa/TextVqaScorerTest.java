package io.share4v.eval.score.textvqa;

import static io.share4v.eval.score.ScorerHarness.resource;
import static io.share4v.eval.score.ScorerHarness.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TextVQA as eval_textvqa.py scores it: real answers with synthetic ground truth (textvqa/NOTICE.md). */
class TextVqaScorerTest {
    @TempDir
    Path dir;

    @Test
    void excerpt() {
        ObjectNode out = score(
                new TextVqaScorer(),
                resource("textvqa/answers.jsonl"),
                null,
                resource("textvqa/TextVQA_0.5.1_val.json"),
                false);
        // By hand (both sides through the EvalAI processor): "Dakota digital" 4 of 10: 1.0; "Drupalcon" vs 2 x
        // "DrupalCon": 0.6; "Ale" 1 of 10: 0.3; "Longmorn" 3 of 10 (question upper-cased in the ground truth): 0.9;
        // "10 years" vs 10 x "ten years": 1.0; "22": the later record (10 x "21") wins: 0.0; "12:15" 5 of 10: 1.0;
        // "Audemars piguet" vs 2 x "Audemars Piguet": 0.6. 5.4 / 8.
        assertEquals(67.5, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(8, out.get("questions").intValue());
    }

    @Test
    void promptProcessor() {
        assertEquals(
                "What is the brand?",
                TextVqaQuestionKey.question("What is the brand?\nReference OCR token: A, B\nAnswer the question using"
                        + " a single word or phrase."));
        assertEquals(
                "What is the brand?",
                TextVqaQuestionKey.question("Reference OCR token: A, B\nWhat is the brand?\nAnswer briefly."));
        assertEquals("What is it?", TextVqaQuestionKey.question("What is it?\nAnswer the question."));
        assertEquals("q one", TextVqaQuestionKey.question("OCR tokens: a b Question: q one Short answer:"));
        assertThrows(IllegalArgumentException.class, () -> TextVqaQuestionKey.question("one line"));
    }

    /** The real answer file repeats question ids (they are image ids): keyed with the question they are distinct. */
    @Test
    void realAnswersAreDistinctByImageAndQuestion() {
        AnswerFile a = new TextVqaScorer()
                .readAnswers(EvalData.require("llava-v1.5-eval/textvqa/answers/llava-v1.5-13b.jsonl"));
        assertEquals(5000, a.size());
        assertEquals(
                "[\"003a8ae2ef43b901\",\"what is the brand of this camera?\"]",
                a.answers().get(0).key());
    }

    /** Published LLaVA-1.5-13B TextVQA: 61.3 (needs TextVQA_0.5.1_val.json beside the answers). */
    @Test
    void fullFileReproducesThePublishedNumber() {
        ObjectNode out = score(
                new TextVqaScorer(),
                EvalData.require("llava-v1.5-eval/textvqa/answers/llava-v1.5-13b.jsonl"),
                null,
                EvalData.require("llava-v1.5-eval/textvqa/TextVQA_0.5.1_val.json"),
                false);
        assertEquals(
                new BigDecimal("61.3"),
                new BigDecimal(out.get("accuracy").doubleValue()).setScale(1, RoundingMode.HALF_EVEN));
    }

    @Test
    void promptsWithoutAQuestionAreMalformedLines() throws IOException {
        Path answers = Files.writeString(
                dir.resolve("a.jsonl"), "{\"question_id\": \"x\", \"prompt\": \"one line\", \"text\": \"a\"}\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> new TextVqaScorer().readAnswers(answers));
        assertTrue(e.getMessage().contains("line 1: the question cannot be recovered"), e.getMessage());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(
                answers, Files.readAllLines(resource("textvqa/answers.jsonl")).subList(0, 3));
        Path truth = resource("textvqa/TextVQA_0.5.1_val.json");
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> score(new TextVqaScorer(), answers, null, truth, false));
        assertTrue(e.getMessage().contains("5 of 8 questions"), e.getMessage());
        // 1.0 + 0.6 + 0.3
        assertEquals(
                190.0 / 3,
                score(new TextVqaScorer(), answers, null, truth, true)
                        .get("accuracy")
                        .doubleValue(),
                1e-9);
    }

    @Test
    void groundTruthWithoutTenAnswersNamesTheRecord() throws IOException {
        Path bad = Files.writeString(
                dir.resolve("gt.json"),
                "{\"data\": [{\"image_id\": \"i\", \"question\": \"q\", \"answers\": [\"a\"]}]}");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new TextVqaScorer(), resource("textvqa/answers.jsonl"), null, bad, false));
        assertTrue(e.getMessage().contains(bad + ": data[0] (image i): 1 answers, expected 10"), e.getMessage());
    }
}
