package io.share4v.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A score never covers a silent subset: missing ids fail unless partial scoring is asked for; unknown ids fail. */
class CoverageTest {
    @TempDir
    Path dir;

    private AnswerFile answers(String text) throws IOException {
        return AnswerFile.read(Files.writeString(dir.resolve("a.jsonl"), text));
    }

    @Test
    void missingAnswersFailUnlessPartialAndThenAreCounted() throws IOException {
        AnswerFile a = answers("{\"question_id\": 1, \"text\": \"a\"}\n{\"question_id\": 3, \"text\": \"c\"}\n");
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> Coverage.check(a, List.of("1", "2", "3", "4"), "gt.json", false));
        assertTrue(e.getMessage().contains("2 of 4 questions of gt.json have no answer: 2, 4"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-partial"), e.getMessage());
        Coverage c = Coverage.check(a, List.of("1", "2", "3", "4"), "gt.json", true);
        assertEquals(List.of("2", "4"), c.missing());
        ObjectNode out = new ObjectMapper().createObjectNode();
        c.describe(out);
        assertEquals("{\"questions\":4,\"answered\":2,\"missing\":2,\"partial\":true}", out.toString());
    }

    @Test
    void answersToUnknownQuestionsAlwaysFail() throws IOException {
        AnswerFile a = answers("{\"question_id\": 1, \"text\": \"a\"}\n{\"question_id\": 9, \"text\": \"c\"}\n");
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> Coverage.check(a, List.of("1"), "gt.json", true));
        assertTrue(
                e.getMessage().contains("1 of 2 answers are to questions that gt.json does not have: 9"),
                e.getMessage());
    }

    @Test
    void completeAnswersAreNotPartial() throws IOException {
        Coverage c = Coverage.check(answers("{\"question_id\": 1, \"text\": \"a\"}\n"), List.of("1"), "gt", false);
        ObjectNode out = new ObjectMapper().createObjectNode();
        c.describe(out);
        assertEquals("{\"questions\":1,\"answered\":1}", out.toString());
    }

    @Test
    void keysOfOtherAnswerLayoutsAreCheckedTheSameWayAndRepeatsFail() {
        Path results = Path.of("results");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> Coverage.check(results, List.of("a", "b", "a"), List.of("a", "b"), "gt", false));
        assertEquals("results: 1 questions are answered twice: a", e.getMessage());
        e = assertThrows(
                EvalInputException.class, () -> Coverage.check(results, List.of("a"), List.of("a", "b"), "gt", false));
        assertTrue(e.getMessage().contains("1 of 2 questions of gt have no answer: b"), e.getMessage());
        assertEquals(
                List.of("b"),
                Coverage.check(results, List.of("a"), List.of("a", "b"), "gt", true)
                        .missing());
    }

    @Test
    void nothingAnsweredIsRefusedWithOrWithoutPartialScoring() throws IOException {
        AnswerFile one = answers("{\"question_id\": 1, \"text\": \"a\"}\n");
        assertEquals(1, Coverage.check(one, List.of("1", "2"), "gt.json", true).answered());
        AnswerFile empty = answers("\n");
        for (boolean partial : new boolean[] {true, false}) {
            EvalInputException e = assertThrows(
                    EvalInputException.class, () -> Coverage.check(empty, List.of("1", "2"), "gt.json", partial));
            assertEquals(empty.file() + ": no answers to any of the 2 questions of gt.json", e.getMessage());
        }
    }
}
