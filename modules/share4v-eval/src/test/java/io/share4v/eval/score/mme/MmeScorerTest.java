package io.share4v.eval.score.mme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed excerpt (src/test/resources/mme: 2-3 images per subtask of MME's ground truth, LLaVA-1.5-13B's answers
 * to them and MME's LaVIN example lines) against the numbers expected.py computes there, and bad input.
 */
class MmeScorerTest {
    private static final Path DIR = Path.of("src/test/resources/mme");
    private static final Path TRUTH = DIR.resolve("ground-truth");
    private static final Path ANSWERS = DIR.resolve("llava-v1.5-13b.jsonl");
    private static final MmeScorer MME = new MmeScorer();

    @TempDir
    Path tmp;

    private static JsonNode expected(String which) throws IOException {
        return new ObjectMapper()
                .readTree(DIR.resolve("expected.json").toFile())
                .get(which);
    }

    private static void assertMatches(JsonNode expected, ObjectNode out) {
        assertEquals(
                expected.get("perception").doubleValue(), out.get("perception").doubleValue(), 1e-9);
        assertEquals(
                expected.get("cognition").doubleValue(), out.get("cognition").doubleValue(), 1e-9);
        assertEquals(14, out.get("subtasks").size());
        expected.get("subtasks").fields().forEachRemaining(e -> {
            for (String key : List.of("acc", "acc_plus", "score", "other")) {
                assertEquals(
                        e.getValue().get(key).doubleValue(),
                        out.get("subtasks").get(e.getKey()).get(key).doubleValue(),
                        1e-9,
                        e.getKey() + " " + key);
            }
        });
    }

    @Test
    void answerJsonlAsConvertAndCalculationScoreIt() throws IOException {
        ObjectNode out = MME.score(ANSWERS, null, TRUTH, false);
        assertMatches(expected("llava-v1.5-13b.jsonl"), out);
        assertEquals(64, out.get("questions").intValue());
        assertEquals(64, out.get("answered").intValue());
        assertFalse(out.has("partial"));
        assertTrue(out.get("subtasks").get("artwork").get("other").intValue() > 0, "the excerpt has an 'other'");
    }

    @Test
    void resultsDirectoryAsCalculationScoresIt() throws IOException {
        assertMatches(expected("lavin"), MME.score(DIR.resolve("lavin"), null, null, false));
        assertMatches(expected("lavin"), MME.score(DIR.resolve("lavin"), null, TRUTH, false));
    }

    @Test
    void aQuestionFileIsCheckedAgainstTheAnswers() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(ANSWERS)) {
            JsonNode a = json.readTree(line);
            questions.add(json.createObjectNode()
                    .put("question_id", a.get("question_id").textValue())
                    .put("image", a.get("question_id").textValue())
                    .put("text", a.get("prompt").textValue())
                    .toString());
        }
        Path file = Files.write(tmp.resolve("q.jsonl"), questions);
        assertEquals(64, MME.score(ANSWERS, file, TRUTH, false).get("answered").intValue());
        Files.write(file, questions.subList(1, questions.size()));
        EvalInputException e = assertThrows(EvalInputException.class, () -> MME.score(ANSWERS, file, TRUTH, false));
        assertTrue(e.getMessage().contains("line 1: question_id \"code_reasoning/"), e.getMessage());
        assertTrue(e.getMessage().contains("is not a question of " + file), e.getMessage());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        List<String> lines = Files.readAllLines(ANSWERS);
        Path some = Files.write(tmp.resolve("some.jsonl"), lines.subList(0, lines.size() - 1));
        EvalInputException e = assertThrows(EvalInputException.class, () -> MME.score(some, null, TRUTH, false));
        assertTrue(e.getMessage().contains("1 of 64 questions of " + TRUTH + " have no answer"), e.getMessage());
        ObjectNode out = MME.score(some, null, TRUTH, true);
        assertEquals(1, out.get("missing").intValue());
        assertTrue(out.get("partial").booleanValue());
    }

    @Test
    void anImageAnsweredTwiceTheSameQuestionFails() throws IOException {
        List<String> lines = Files.readAllLines(ANSWERS);
        Path twice = Files.write(
                tmp.resolve("twice.jsonl"),
                Stream.concat(lines.stream(), Stream.of(lines.get(0))).toList());
        EvalInputException e = assertThrows(EvalInputException.class, () -> MME.score(twice, null, TRUTH, false));
        assertTrue(e.getMessage().contains("on lines 1 and 65"), e.getMessage());
    }

    @Test
    void answersWithoutPromptOrToUnknownQuestionsFail() throws IOException {
        Path noPrompt = Files.writeString(
                tmp.resolve("np.jsonl"), "{\"question_id\": \"existence/000000006040.jpg\", \"text\": \"Yes\"}\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> MME.score(noPrompt, null, TRUTH, true));
        assertTrue(
                e.getMessage()
                        .contains(noPrompt + ": 1 malformed line of 1:\n  line 1: question_id"
                                + " \"existence/000000006040.jpg\" has no string \"prompt\""),
                e.getMessage());
        Path unknown = Files.writeString(
                tmp.resolve("u.jsonl"),
                "{\"question_id\": \"existence/nope.jpg\"," + " \"prompt\": \"Is it?\", \"text\": \"Yes\"}\n");
        e = assertThrows(EvalInputException.class, () -> MME.score(unknown, null, TRUTH, true));
        assertTrue(
                e.getMessage()
                        .contains("1 of 1 answers are to questions that " + TRUTH + " does not have:"
                                + " existence/nope.jpg: Is it?"),
                e.getMessage());
    }

    @Test
    void malformedGroundTruthNamesFileAndLine() throws IOException {
        Path truth = copy(TRUTH, tmp.resolve("gt"));
        Files.writeString(truth.resolve("count.txt"), "a.jpg\tIs it? Please answer yes or no.\tMaybe\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> MME.score(ANSWERS, null, truth, false));
        assertEquals(
                truth.resolve("count.txt") + " line 1: the ground truth is \"Maybe\", not Yes or No", e.getMessage());
        Files.writeString(truth.resolve("count.txt"), "a.jpg\tIs it?\n");
        e = assertThrows(EvalInputException.class, () -> MME.score(ANSWERS, null, truth, false));
        assertTrue(
                e.getMessage().startsWith(truth.resolve("count.txt") + " line 1: 2 TAB-separated fields, expected 3"),
                e.getMessage());
        Files.copy(TRUTH.resolve("count.txt"), truth.resolve("count.txt"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(truth.resolve("OCR.txt"));
        e = assertThrows(EvalInputException.class, () -> MME.score(ANSWERS, null, truth, false));
        assertTrue(e.getMessage().startsWith(truth.resolve("OCR.txt") + ": not found"), e.getMessage());
    }

    @Test
    void resultsDirectoryProblemsNameFileAndLine() throws IOException {
        Path results = copy(DIR.resolve("lavin"), tmp.resolve("results"));
        List<String> lines = Files.readAllLines(results.resolve("color.txt"));
        Files.write(results.resolve("color.txt"), lines.subList(0, 3));
        EvalInputException e = assertThrows(EvalInputException.class, () -> MME.score(results, null, null, false));
        assertTrue(e.getMessage().contains("color: image "), e.getMessage());
        assertTrue(e.getMessage().contains(" has 1 questions"), e.getMessage());
        Files.writeString(results.resolve("color.txt"), "a.jpg\tIs it?\tYes\n");
        e = assertThrows(EvalInputException.class, () -> MME.score(results, null, null, false));
        assertTrue(
                e.getMessage()
                        .startsWith(results.resolve("color.txt") + " line 1: 3 TAB-separated fields," + " expected 4"),
                e.getMessage());
        Files.delete(results.resolve("color.txt"));
        e = assertThrows(EvalInputException.class, () -> MME.score(results, null, null, false));
        assertTrue(e.getMessage().contains("no results file for [color.txt]"), e.getMessage());
        // With the ground truth the missing subtask is missing questions, scored only with --allow-partial.
        e = assertThrows(EvalInputException.class, () -> MME.score(results, null, TRUTH, false));
        assertTrue(e.getMessage().contains("have no answer: color/"), e.getMessage());
        ObjectNode out = MME.score(results, null, TRUTH, true);
        assertFalse(out.get("subtasks").has("color"));
        assertTrue(out.get("partial").booleanValue());
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
