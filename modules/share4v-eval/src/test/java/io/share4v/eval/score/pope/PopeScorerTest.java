package io.share4v.eval.score.pope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.ScoreRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed excerpt (src/test/resources/pope: the first 12 labels of each split, their LLaVA questions and
 * LLaVA-1.5-13B's answers) against the numbers expected.py computes as eval_pope.py does, and bad input.
 */
class PopeScorerTest {
    private static final Path DIR = Path.of("src/test/resources/pope");
    private static final Path QUESTIONS = DIR.resolve("llava_pope_test.jsonl");
    private static final Path LABELS = DIR.resolve("annotations");
    private static final Path ANSWERS = DIR.resolve("llava-v1.5-13b.jsonl");

    @TempDir
    Path tmp;

    private static ObjectNode score(Path answers, Path labels, boolean partial) {
        return new PopeScorer().score(new ScoreRequest("pope", AnswerFile.read(answers), QUESTIONS, labels, partial));
    }

    @Test
    void excerptScoresAsEvalPope() throws IOException {
        JsonNode expected =
                new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
        ObjectNode out = score(ANSWERS, LABELS, false);
        assertEquals(expected.get("f1").doubleValue(), out.get("f1").doubleValue(), 1e-9);
        for (String split : PopeSplit.NAMES) {
            expected.get(split)
                    .fields()
                    .forEachRemaining(e -> assertEquals(
                            e.getValue().doubleValue(),
                            out.get(split).get(e.getKey()).doubleValue(),
                            1e-9,
                            split + " " + e.getKey()));
        }
        assertEquals(36, out.get("answered").intValue());
    }

    @Test
    void answersArePairedWithTheirOwnLabelsWhateverTheirOrder() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(ANSWERS));
        Collections.reverse(lines);
        Path reversed = Files.write(tmp.resolve("reversed.jsonl"), lines);
        assertEquals(score(ANSWERS, LABELS, false), score(reversed, LABELS, false));
    }

    @Test
    void quirksOfTheReadingCarryIntoTheCounts() throws IOException {
        // Every answer "None" (a yes to eval_pope.py) or "NO" (also a yes): all predicted yes.
        List<String> lines = Files.readAllLines(ANSWERS);
        Path none = Files.write(
                tmp.resolve("none.jsonl"),
                lines.stream()
                        .map(l -> l.replace("\"text\": \"No\"", "\"text\": \"None\"")
                                .replace("\"text\": \"Yes\"", "\"text\": \"NO\""))
                        .toList());
        ObjectNode out = score(none, LABELS, false);
        assertEquals(100.0, out.get("adversarial").get("yes_ratio").doubleValue(), 1e-9);
        assertEquals(100.0, out.get("adversarial").get("recall").doubleValue(), 1e-9);
        // Every answer "No": precision divides by zero (eval_pope.py stops there), so it and F1 are null.
        Path no = Files.write(
                tmp.resolve("no.jsonl"),
                lines.stream()
                        .map(l -> l.replace("\"text\": \"Yes\"", "\"text\": \"No\""))
                        .toList());
        out = score(no, LABELS, false);
        assertTrue(out.get("random").get("precision").isNull());
        assertTrue(out.get("random").get("f1").isNull());
        assertTrue(out.get("f1").isNull());
        assertEquals(0.0, out.get("random").get("recall").doubleValue());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        List<String> lines = Files.readAllLines(ANSWERS);
        Path some = Files.write(tmp.resolve("some.jsonl"), lines.subList(1, lines.size()));
        EvalInputException e = assertThrows(EvalInputException.class, () -> score(some, LABELS, false));
        assertTrue(
                e.getMessage().contains("1 of 36 questions of " + QUESTIONS + " have no answer: 1 "), e.getMessage());
        ObjectNode out = score(some, LABELS, true);
        assertEquals(1, out.get("missing").intValue());
        assertEquals(
                11,
                out.get("adversarial").get("tp").intValue()
                        + out.get("adversarial").get("fp").intValue()
                        + out.get("adversarial").get("tn").intValue()
                        + out.get("adversarial").get("fn").intValue());
    }

    @Test
    void malformedOrMismatchedLabelsNameTheFile() throws IOException {
        Path labels = Files.createDirectories(tmp.resolve("labels"));
        for (String split : PopeSplit.NAMES) {
            Files.copy(PopeSplit.labelFile(LABELS, split), PopeSplit.labelFile(labels, split));
        }
        Path random = PopeSplit.labelFile(labels, "random");
        List<String> lines = new ArrayList<>(Files.readAllLines(random));
        lines.set(2, "{\"question_id\": 3, \"image\": \"x.jpg\"}");
        Files.write(random, lines);
        EvalInputException e = assertThrows(EvalInputException.class, () -> score(ANSWERS, labels, false));
        assertTrue(e.getMessage().startsWith(random + " line 3: no string \"text\""), e.getMessage());
        lines.set(2, "{\"question_id\": 3, \"image\": \"x.jpg\", \"text\": \"Is there a cat?\", \"label\": \"no\"}");
        Files.write(random, lines);
        e = assertThrows(EvalInputException.class, () -> score(ANSWERS, labels, false));
        assertTrue(
                e.getMessage()
                        .startsWith(random + " line 3: " + QUESTIONS + " has no random question on image" + " x.jpg"),
                e.getMessage());
        Files.write(random, lines.subList(0, 11));
        e = assertThrows(EvalInputException.class, () -> score(ANSWERS, labels, false));
        assertEquals(random + ": 11 labels, but " + QUESTIONS + " has 12 random questions", e.getMessage());
        Files.delete(random);
        e = assertThrows(EvalInputException.class, () -> score(ANSWERS, labels, false));
        assertTrue(e.getMessage().startsWith(random + ": not found"), e.getMessage());
    }
}
