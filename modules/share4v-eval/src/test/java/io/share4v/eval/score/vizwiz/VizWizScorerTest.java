package io.share4v.eval.score.vizwiz;

import static io.share4v.eval.score.ScorerHarness.resource;
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

/** VizWiz with annotations: real answers, synthetic VizWiz-format ground truth (vizwiz/NOTICE.md). */
class VizWizScorerTest {
    @TempDir
    Path dir;

    private static ObjectNode score(Path answers, Path annotations, boolean partial) {
        return io.share4v.eval.score.ScorerHarness.score(
                new VizWizScorer(), answers, resource("vizwiz/llava_test.jsonl"), annotations, partial);
    }

    @Test
    void excerpt() {
        ObjectNode out = score(resource("vizwiz/answers.jsonl"), resource("vizwiz/val.json"), false);
        // By hand, per question (after the EvalAI processor): 0 "black" vs 4 black + 6 blue: 1.0; 1 "unanswerable"
        // x10: 1.0; 2 "no" vs 10 x "No" (unanimous, not normalised): 0.0; 3 "laptop" vs 3 laptop + 7 computer: 0.9;
        // 4 "half and half" vs 8 of 10: 1.0; 5 "unanswerable" vs 1 of 10: 0.3; 6 the long answer vs 10 x
        // "unanswerable": 0.0; 7: 1.0; the 6 others match their 10 identical answers: 1.0 each. 11.2 / 14.
        assertEquals(80.0, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(0.0, out.get("per_answer_type").get("yes/no").doubleValue(), 1e-9);
        assertEquals(200.0 / 3, out.get("per_answer_type").get("unanswerable").doubleValue(), 1e-9);
        assertEquals(92.0, out.get("per_answer_type").get("other").doubleValue(), 1e-9);
        assertEquals(14, out.get("answered").intValue());
    }

    @Test
    void imagesWithoutAnnotationAreNamed() throws IOException {
        String all = Files.readString(resource("vizwiz/val.json"));
        Path partial = Files.writeString(
                dir.resolve("val.json"), all.replace("VizWiz_test_00000003.jpg", "VizWiz_val_00000003.jpg"));
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> score(resource("vizwiz/answers.jsonl"), partial, false));
        assertTrue(e.getMessage().contains("1 of 14 images"), e.getMessage());
        assertTrue(e.getMessage().contains("VizWiz_test_00000003.jpg"), e.getMessage());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(
                answers, Files.readAllLines(resource("vizwiz/answers.jsonl")).subList(0, 4));
        EvalInputException e =
                assertThrows(EvalInputException.class, () -> score(answers, resource("vizwiz/val.json"), false));
        assertTrue(e.getMessage().contains("10 of 14 questions"), e.getMessage());
        // 0..3: 1.0 + 1.0 + 0.0 + 0.9
        assertEquals(
                72.5,
                score(answers, resource("vizwiz/val.json"), true)
                        .get("accuracy")
                        .doubleValue(),
                1e-9);
    }
}
