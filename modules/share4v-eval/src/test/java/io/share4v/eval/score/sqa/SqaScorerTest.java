package io.share4v.eval.score.sqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.Expected;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.ScoreRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqaScorerTest {
    private static final Path DIR = Expected.RESOURCES.resolve("sqa");
    private static final Path QUESTIONS = DIR.resolve("llava_test_CQM-A.excerpt.json");
    private static final Path ANSWERS = DIR.resolve("llava-v1.5-13b.excerpt.jsonl");

    @TempDir
    Path tmp;

    private static ObjectNode score(Path answers, Path questions, Path annotations, boolean partial) {
        return new SqaScorer()
                .score(new ScoreRequest("sqa", AnswerFile.read(answers), questions, annotations, partial));
    }

    @Test
    void excerptFromTheLlavaQuestionFile() {
        ObjectNode out = score(ANSWERS, QUESTIONS, null, false);
        Expected.assertSubset(Expected.of("sqa"), out);
        assertEquals(36, out.get("questions").intValue());
        assertEquals(36, out.get("answered").intValue());
    }

    @Test
    void excerptFromProblemsAndPidSplitsGivesTheSameNumbers() {
        Expected.assertSubset(Expected.of("sqa"), score(ANSWERS, null, DIR, false));
        Expected.assertSubset(Expected.of("sqa"), score(ANSWERS, null, DIR.resolve("problems.json"), false));
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        List<String> lines = Files.readAllLines(ANSWERS);
        Path fewer = Files.write(tmp.resolve("fewer.jsonl"), lines.subList(0, 30));
        EvalInputException e = assertThrows(EvalInputException.class, () -> score(fewer, QUESTIONS, null, false));
        assertTrue(e.getMessage().contains("6 of 36 questions"), e.getMessage());
        ObjectNode out = score(fewer, QUESTIONS, null, true);
        assertEquals(30, out.get("total").intValue());
        assertEquals(6, out.get("missing").intValue());
    }

    @Test
    void malformedGroundTruthNamesTheFile() throws IOException {
        Path bad = Files.writeString(tmp.resolve("llava_test_CQM-A.json"), "[{\"id\": \"4\", \"conversations\": []}]");
        EvalInputException e = assertThrows(EvalInputException.class, () -> score(ANSWERS, bad, null, false));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("item 0"), e.getMessage());
        Path noSplits = Files.copy(DIR.resolve("problems.json"), tmp.resolve("problems.json"));
        e = assertThrows(EvalInputException.class, () -> score(ANSWERS, null, noSplits, false));
        assertTrue(e.getMessage().contains("pid_splits.json"), e.getMessage());
    }

    @Test
    void groundTruthIsRequired() {
        EvalInputException e = assertThrows(EvalInputException.class, () -> score(ANSWERS, null, null, false));
        assertTrue(e.getMessage().contains("--questions"), e.getMessage());
    }

    /**
     * LLaVA-1.5-13B: 3155 / 4241 (74.39 %), IMG 1445 / 2017 = 71.64 % (published 71.6). eval.zip's answer file keeps one
     * line, so the answers are rebuilt from the script's own output ({@code _output.jsonl}: question_id, question =
     * the prompt, pred = the text).
     */
    @Test
    void reproducesLlava15Of13b() throws IOException {
        Path questions = EvalData.require("llava-v1.5-eval/scienceqa/llava_test_CQM-A.json");
        JsonNode output = new JsonMapper()
                .readTree(EvalData.require("llava-v1.5-eval/scienceqa/answers/llava-v1.5-13b_output.jsonl")
                        .toFile());
        JsonMapper json = new JsonMapper();
        List<String> lines = new ArrayList<>();
        for (String part : List.of("correct", "incorrect")) {
            for (JsonNode r : output.get(part)) {
                lines.add(json.createObjectNode()
                        .put("question_id", r.get("question_id").textValue())
                        .put("prompt", r.get("question").textValue())
                        .put("text", r.get("pred").textValue())
                        .toString());
            }
        }
        ObjectNode out = score(Files.write(tmp.resolve("answers.jsonl"), lines), questions, null, false);
        assertEquals(1445, out.get("img_correct").intValue());
        assertEquals(2017, out.get("img_total").intValue());
        assertEquals(3155, out.get("correct").intValue());
        assertEquals(4241, out.get("total").intValue());
        assertEquals(5, out.get("unparsed").intValue());
        Expected.assertRoundsTo("71.6", out.get("img_accuracy").doubleValue(), 1);
        Expected.assertRoundsTo("71.64", out.get("img_accuracy").doubleValue(), 2);
        Expected.assertRoundsTo("74.39", out.get("accuracy").doubleValue(), 2);
    }
}
