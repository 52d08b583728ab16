package io.share4v.eval.score.qbench;

import static io.share4v.eval.score.ScorerHarness.resource;
import static io.share4v.eval.score.ScorerHarness.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Q-Bench A1 dev on the synthetic excerpt (qbench/NOTICE.md). */
class QbenchScorerTest {
    private static final Path DEV = resource("qbench/llvisionqa_dev.json");

    @TempDir
    Path dir;

    @Test
    void matchRules() {
        List<String> yesNo = List.of("Yes", "No");
        assertTrue(QbenchMatch.correct("B", yesNo, "No"));
        assertTrue(QbenchMatch.correct("B. No", yesNo, "No"));
        assertFalse(QbenchMatch.correct("A", yesNo, "No"));
        assertTrue(QbenchMatch.correct("No, it is not.", List.of("Yes", "No,"), "No,"));
        // "No" starts with N: letter 13, out of range; its first word is not "Yes".
        assertFalse(QbenchMatch.correct("No", yesNo, "Yes"));
        assertTrue(QbenchMatch.correct("Well exposed", List.of("Under", "Well exposed"), "Well exposed"));
        // Only the first character is read as a letter: "C" of a 2-candidate question is out of range.
        assertFalse(QbenchMatch.correct("C", yesNo, "No"));
    }

    @Test
    void excerptConcatenatedAsTheRunnerWritesIt() throws IOException {
        assertEquals(1, Files.readAllLines(resource("qbench/answers.jsonl")).size());
        ObjectNode out = score(new QbenchScorer(), resource("qbench/answers.jsonl"), null, DEV, false);
        // By hand: "B" -> No: right; "B. Clear": right; "Low quality" (first word): right; "No" for Yes: wrong;
        // "Well exposed" (whole response): right; "" (the reference fails on it): wrong, counted. 4 / 6.
        assertEquals(400.0 / 6, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(4, out.get("correct").intValue());
        assertEquals(1, out.get("empty_responses").intValue());
    }

    @Test
    void oneRecordALineAsFormatQbenchLeavesIt() throws IOException {
        Path lines = Files.writeString(
                dir.resolve("a.jsonl"),
                Files.readString(resource("qbench/answers.jsonl")).replace("}{", "}\n{"));
        assertEquals(6, Files.readAllLines(lines).size());
        assertEquals(
                4,
                score(new QbenchScorer(), lines, null, DEV, false)
                        .get("correct")
                        .intValue());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        String all = Files.readString(resource("qbench/answers.jsonl"));
        Path first = Files.writeString(dir.resolve("a.jsonl"), all.substring(0, all.indexOf("}{") + 1));
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> score(new QbenchScorer(), first, null, DEV, false));
        assertTrue(e.getMessage().contains("5 of 6 questions"), e.getMessage());
        assertEquals(
                100.0,
                score(new QbenchScorer(), first, null, DEV, true)
                        .get("accuracy")
                        .doubleValue(),
                1e-9);
    }

    @Test
    void recordsWithoutResponseAreNamed() throws IOException {
        Path bad = Files.writeString(dir.resolve("a.jsonl"), "{\"img_path\": \"1.jpg\", \"question\": \"q\"}");
        EvalInputException e = assertThrows(EvalInputException.class, () -> new QbenchScorer().readAnswers(bad));
        assertTrue(e.getMessage().contains(bad + ": record 1: no string \"response\""), e.getMessage());
    }
}
