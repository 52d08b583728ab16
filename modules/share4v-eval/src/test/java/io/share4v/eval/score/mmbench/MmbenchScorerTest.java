package io.share4v.eval.score.mmbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
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

class MmbenchScorerTest {
    private static final Path DIR = Expected.RESOURCES.resolve("mmbench");
    private static final Path TSV = DIR.resolve("mmbench_dev.excerpt.tsv");
    private static final Path ANSWERS = DIR.resolve("llava-v1.5-13b.excerpt.jsonl");

    @TempDir
    Path tmp;

    private static ObjectNode score(String name, Path answers, Path key, boolean partial) {
        return new MmbenchScorer(name).score(new ScoreRequest(name, AnswerFile.read(answers), null, key, partial));
    }

    @Test
    void excerptCircularEval() {
        for (String name : List.of("mmbench", "mmbench_cn")) {
            ObjectNode out = score(name, ANSWERS, TSV, false);
            Expected.assertSubset(Expected.of("mmbench"), out);
            assertEquals(0, out.get("unmatched").intValue());
            assertEquals("not run", out.get("judge_fallback").textValue());
            assertEquals(100.0, out.get("l2_categories").get("excerpt_l2").doubleValue() * 14 / 9, 1e-9);
        }
    }

    @Test
    void anUnreadableAnswerIsUnmatchedAndBreaksItsGroup() throws IOException {
        List<String> lines = Files.readAllLines(ANSWERS);
        // the excerpt's first group (index 241 and copies) is all right; make one copy's answer unreadable
        int copy = 0;
        while (!lines.get(copy).startsWith("{\"question_id\": 1000241,")) {
            copy++;
        }
        lines.set(copy, lines.get(copy).replaceFirst("\"text\": \"[A-D]\"", "\"text\": \"I am not sure.\""));
        ObjectNode out = score("mmbench", Files.write(tmp.resolve("a.jsonl"), lines), TSV, false);
        assertEquals(1, out.get("unmatched").intValue());
        assertEquals(
                Expected.of("mmbench").get("groups_correct").intValue() - 1,
                out.get("groups_correct").intValue());
    }

    @Test
    void missingRowsFailUnlessPartial() throws IOException {
        List<String> lines = Files.readAllLines(ANSWERS);
        Path fewer = Files.write(tmp.resolve("fewer.jsonl"), lines.subList(1, lines.size()));
        EvalInputException e = assertThrows(EvalInputException.class, () -> score("mmbench", fewer, TSV, false));
        assertTrue(e.getMessage().contains("1 of 43 questions"), e.getMessage());
        assertEquals(42, score("mmbench", fewer, TSV, true).get("rows").intValue());
    }

    @Test
    void malformedAnswerKeyNamesTheFile() throws IOException {
        Path noAnswer = Files.writeString(tmp.resolve("test.tsv"), "index\tquestion\tA\tB\n241\tq\tx\ty\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> score("mmbench", ANSWERS, noAnswer, false));
        assertTrue(e.getMessage().startsWith(noAnswer + ": no \"answer\" column"), e.getMessage());
        Path badLetter = Files.writeString(tmp.resolve("dev.tsv"), "index\tA\tB\tanswer\n241\tx\ty\tC\n");
        e = assertThrows(EvalInputException.class, () -> score("mmbench", ANSWERS, badLetter, false));
        assertTrue(e.getMessage().startsWith(badLetter + ": row 1 (index 241): answer C"), e.getMessage());
    }

    /**
     * LLaVA-1.5-13B dev, answer key from its upload xlsx: 1,176 groups, CircularEval 67.69 (published 67.7), first pass
     * 75.43, every row 76.45 (spec §6.2).
     */
    @Test
    void reproducesLlava15Of13bDev() {
        ObjectNode out = score(
                "mmbench",
                EvalData.require("llava-v1.5-eval/mmbench/answers/mmbench_dev_20230712/llava-v1.5-13b.jsonl"),
                EvalData.require("llava-v1.5-eval/mmbench/answers_upload/mmbench_dev_20230712/llava-v1.5-13b.xlsx"),
                false);
        assertEquals(4377, out.get("rows").intValue());
        assertEquals(1176, out.get("groups").intValue());
        assertEquals(796, out.get("groups_correct").intValue());
        assertEquals(0, out.get("unmatched").intValue());
        Expected.assertRoundsTo("67.7", out.get("circular_accuracy").doubleValue(), 1);
        Expected.assertRoundsTo("67.69", out.get("circular_accuracy").doubleValue(), 2);
        Expected.assertRoundsTo("75.43", out.get("vanilla_accuracy").doubleValue(), 2);
        Expected.assertRoundsTo("76.45", out.get("row_accuracy").doubleValue(), 2);
    }
}
