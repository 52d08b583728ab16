package io.share4v.eval.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answer files are read in order, and malformed lines or repeated ids fail naming the file and the lines. */
class AnswerFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("answers.jsonl"), text);
    }

    @Test
    void readsLinesInOrderWithNumberAndStringIds() throws IOException {
        AnswerFile f = AnswerFile.read(file("{\"question_id\": 3, \"prompt\": \"Is it red?\", \"text\": \"Yes\","
                + " \"answer_id\": \"x\", \"model_id\": \"m\", \"metadata\": {}}\n\n"
                + "{\"question_id\": \"a/1.png\", \"text\": \"No\"}\n"));
        assertEquals(2, f.size());
        assertEquals("3", f.answers().get(0).key());
        assertEquals("Is it red?", f.answers().get(0).prompt());
        assertEquals("\"a/1.png\"", f.answers().get(1).key());
        assertEquals("No", f.get("\"a/1.png\"").text());
        assertEquals(3, f.answers().get(1).lineNumber());
    }

    @Test
    void malformedLinesAreCountedAndNamed() throws IOException {
        Path p =
                file("{\"question_id\": 1, \"text\": \"a\"}\nnot json\n{\"text\": \"b\"}\n{\"question_id\": 4}\n[1]\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> AnswerFile.read(p));
        String m = e.getMessage();
        assertTrue(m.contains(p.toString()) && m.contains("4 malformed lines of 5"), m);
        assertTrue(m.contains("line 2: not valid JSON"), m);
        assertTrue(m.contains("line 3: no question_id"), m);
        assertTrue(m.contains("line 4: question_id 4: no string \"text\""), m);
        assertTrue(m.contains("line 5: not a JSON object"), m);
    }

    @Test
    void duplicateIdsFailWithTheirLines() throws IOException {
        Path p = file("{\"question_id\": 1, \"text\": \"a\"}\n{\"question_id\": 2, \"text\": \"b\"}\n"
                + "{\"question_id\": 1, \"text\": \"c\"}\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> AnswerFile.read(p));
        assertTrue(e.getMessage().contains("1 duplicate question id (3 lines, 2 distinct ids)"), e.getMessage());
        assertTrue(e.getMessage().contains("question_id 1 on lines 1 and 3"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path p = dir.resolve("none.jsonl");
        EvalInputException e = assertThrows(EvalInputException.class, () -> AnswerFile.read(p));
        assertTrue(e.getMessage().contains(p + ": answers file not found"), e.getMessage());
    }
}
