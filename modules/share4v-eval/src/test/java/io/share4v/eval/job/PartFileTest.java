package io.share4v.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming from a part file: complete lines kept, a torn tail cut off, answers of other questions refused. */
class PartFileTest {
    @TempDir
    Path dir;

    private List<EvalQuestion> questions() throws Exception {
        Path q = dir.resolve("q.jsonl");
        Files.writeString(q, """
                {"question_id": 7, "image": "a.png", "text": "Is it red?"}
                {"question_id": "x8", "image": "b.png", "text": "Is it blue?"}
                {"question_id": 9, "image": "a.png", "text": "Is it round?"}
                """);
        return Runners.named("pope").readQuestions(q);
    }

    @Test
    void keepsCompleteLinesAndCutsATornTail() throws Exception {
        Path part = dir.resolve("chunk-00000.jsonl");
        String kept = "{\"question_id\":7,\"text\":\"Yes\"}\n{\"question_id\":\"x8\",\"text\":\"No\"}\n";
        Files.writeString(part, kept + "{\"question_id\":9,\"te");
        assertEquals(2, PartFile.resume(part, questions()));
        assertEquals(kept, Files.readString(part));
        assertEquals(2, PartFile.resume(part, questions()));
        assertEquals(0, PartFile.resume(dir.resolve("absent.jsonl"), questions()));
    }

    @Test
    void aLineOfAnotherQuestionNamesFileLineAndBothIds() throws Exception {
        Path part = dir.resolve("chunk-00001.jsonl");
        Files.writeString(part, "{\"question_id\":7,\"text\":\"Yes\"}\n{\"question_id\":8,\"text\":\"No\"}\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> PartFile.resume(part, questions()));
        assertTrue(e.getMessage().startsWith(part + ": line 2 answers question_id = 8"), e.getMessage());
        assertTrue(e.getMessage().contains("has question_id = \"x8\""), e.getMessage());
        Files.writeString(part, "not json\n");
        e = assertThrows(EvalInputException.class, () -> PartFile.resume(part, questions()));
        assertTrue(e.getMessage().contains("line 1 is not valid JSON"), e.getMessage());
    }
}
