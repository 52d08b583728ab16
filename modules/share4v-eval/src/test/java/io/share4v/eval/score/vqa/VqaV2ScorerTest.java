package io.share4v.eval.score.vqa;

import static io.share4v.eval.score.ScorerHarness.resource;
import static io.share4v.eval.score.ScorerHarness.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VQAv2 with annotations on the synthetic excerpt (vqav2/NOTICE.md). */
class VqaV2ScorerTest {
    @TempDir
    Path dir;

    @Test
    void excerpt() {
        ObjectNode out = score(
                new VqaV2Scorer(), resource("vqav2/answers.jsonl"), null, resource("vqav2/annotations.json"), false);
        // By hand: "Yes" -> "yes" vs 10 x "yes": 1.0 (pre-processed as LLaVA's upload is); "Two" -> "2" vs 9 x "2" +
        // "two" (normalised, all "2"): 1.0; "A red, white and blue flag." -> "red white and blue flag" vs 2 x "Red,
        // white and blue flag" (normalised to it) + 8 x "american flag": 0.6; "3" vs 10 x "three": unanimous, so not
        // normalised: 0.0. Mean 2.6 / 4.
        assertEquals(65.0, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(100.0, out.get("per_answer_type").get("yes/no").doubleValue(), 1e-9);
        assertEquals(50.0, out.get("per_answer_type").get("number").doubleValue(), 1e-9);
        assertEquals(60.0, out.get("per_answer_type").get("other").doubleValue(), 1e-9);
        assertEquals(4, out.get("questions").intValue());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(answers, Files.readAllLines(resource("vqav2/answers.jsonl")).subList(0, 2));
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new VqaV2Scorer(), answers, null, resource("vqav2/annotations.json"), false));
        assertTrue(e.getMessage().contains("2 of 4 questions"), e.getMessage());
        ObjectNode out = score(new VqaV2Scorer(), answers, null, resource("vqav2/annotations.json"), true);
        assertEquals(100.0, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(2, out.get("missing").intValue());
    }

    @Test
    void malformedAnnotationsNameTheFile() throws IOException {
        Path bad = Files.writeString(dir.resolve("ann.json"), "{\"annotations\": [{\"question_id\": 1}]}");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new VqaV2Scorer(), resource("vqav2/answers.jsonl"), null, bad, false));
        assertTrue(
                e.getMessage().contains(bad + ": annotations[0] (question_id 1): no array \"answers\""),
                e.getMessage());
    }
}
