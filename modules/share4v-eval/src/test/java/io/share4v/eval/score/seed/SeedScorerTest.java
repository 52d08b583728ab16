package io.share4v.eval.score.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.Expected;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.ScoreRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedScorerTest {
    private static final Path DIR = Expected.RESOURCES.resolve("seed");
    private static final Path BENCH = DIR.resolve("SEED-Bench.excerpt.json");

    @TempDir
    Path tmp;

    private static ObjectNode score(Path answers, Path bench, boolean partial) {
        return new SeedScorer().score(new ScoreRequest("seed", AnswerFile.read(answers), null, bench, partial));
    }

    @Test
    void imageQuestionsOnly() {
        ObjectNode out = score(DIR.resolve("image-answers.excerpt.jsonl"), BENCH, false);
        assertDimensions(Expected.of("seed").get("image"), out);
        assertFalse(out.has("video_accuracy"));
        assertEquals(27, out.get("questions").intValue());
    }

    @Test
    void withVideoAnswersEveryQuestionIsScored() {
        ObjectNode out = score(DIR.resolve("all-answers.excerpt.jsonl"), BENCH, false);
        assertDimensions(Expected.of("seed").get("all"), out);
        assertEquals(30, out.get("questions").intValue());
    }

    private static void assertDimensions(JsonNode expected, ObjectNode out) {
        for (String key : List.of("accuracy", "correct", "total", "video_accuracy", "all_accuracy")) {
            if (expected.has(key)) {
                assertEquals(expected.get(key).doubleValue(), out.get(key).doubleValue(), 1e-9, key);
            }
        }
        assertEquals(expected.get("dimensions").size(), out.get("dimensions").size());
        expected.get("dimensions")
                .fields()
                .forEachRemaining(e -> assertEquals(
                        e.getValue().doubleValue(),
                        out.get("dimensions").get(e.getKey()).get("accuracy").doubleValue(),
                        1e-9,
                        e.getKey()));
    }

    @Test
    void onlyTheExactLetterCounts() throws IOException {
        Path bench = Files.writeString(tmp.resolve("SEED-Bench.json"), """
                {"questions": [
                 {"question_id": "1", "answer": "A", "data_type": "image", "question_type_id": 1},
                 {"question_id": "2", "answer": "B", "data_type": "image", "question_type_id": 1},
                 {"question_id": "3", "answer": "C", "data_type": "image", "question_type_id": 2}],
                 "question_type": {"Scene Understanding": 1, "Instance Identity": 2}}
                """);
        Path answers = Files.writeString(tmp.resolve("a.jsonl"), """
                {"question_id": 1, "text": "A"}
                {"question_id": 2, "text": "B."}
                {"question_id": 3, "text": " C"}
                """);
        ObjectNode out = score(answers, bench, false);
        assertEquals(1, out.get("correct").intValue());
        assertEquals(
                50.0,
                out.get("dimensions").get("Scene Understanding").get("accuracy").doubleValue());
        assertEquals(2, out.get("dimensions").get("Instance Identity").get("id").intValue());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve("image-answers.excerpt.jsonl"));
        Path fewer = Files.write(tmp.resolve("fewer.jsonl"), lines.subList(2, lines.size()));
        EvalInputException e = assertThrows(EvalInputException.class, () -> score(fewer, BENCH, false));
        assertTrue(e.getMessage().contains("2 of 27 questions"), e.getMessage());
        assertEquals(25, score(fewer, BENCH, true).get("total").intValue());
    }

    @Test
    void malformedGroundTruthNamesTheFile() throws IOException {
        Path bad = Files.writeString(
                tmp.resolve("SEED-Bench.json"),
                "{\"questions\": [{\"question_id\": \"1\", \"data_type\": \"image\"}], \"question_type\": {}}");
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> score(DIR.resolve("image-answers.excerpt.jsonl"), bad, false));
        assertTrue(e.getMessage().startsWith(bad + ": questions[0]"), e.getMessage());
    }
}
