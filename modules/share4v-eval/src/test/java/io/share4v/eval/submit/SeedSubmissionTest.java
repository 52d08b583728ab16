package io.share4v.eval.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.Expected;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.answers.PythonJson;
import io.share4v.eval.score.seed.SeedBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedSubmissionTest {
    private static final Path DIR = Expected.RESOURCES.resolve("seed");

    @TempDir
    Path tmp;

    @Test
    void excerptMatchesLlavasUploadByteForByte() throws IOException {
        Path out = tmp.resolve("upload.jsonl");
        int lines = SeedSubmission.write(
                SeedBench.read(DIR.resolve("SEED-Bench.excerpt.json")),
                AnswerFile.read(DIR.resolve("all-answers.excerpt.jsonl")),
                out);
        assertEquals(30, lines);
        assertEquals(Files.readString(DIR.resolve("upload.excerpt.jsonl")), Files.readString(out));
    }

    @Test
    void everyQuestionNeedsAnAnswer() throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve("all-answers.excerpt.jsonl"));
        AnswerFile fewer = AnswerFile.read(Files.write(tmp.resolve("a.jsonl"), lines.subList(1, lines.size())));
        SeedBench bench = SeedBench.read(DIR.resolve("SEED-Bench.excerpt.json"));
        assertThrows(EvalInputException.class, () -> SeedSubmission.write(bench, fewer, tmp.resolve("o.jsonl")));
    }

    @Test
    void stringsAreWrittenAsPythonsJsonDumps() {
        assertEquals(
                "\"a\\\"b\\\\c\\n\\t\\u00e9\\u4e2d\\ud83d\\ude00\\u007f\\u0001\"",
                PythonJson.string("a\"b\\c\n\té中😀\u007f\u0001"));
    }

    /**
     * LLaVA-1.5-13B's 19,242-line upload, rewritten from answers and a question list rebuilt from the upload itself
     * (SEED-Bench.json is not in the eval data): checks the ordering, the id forms and the formatting on real text.
     * SEED-Bench.json lists question 49914 twice; the converter writes a line for each, from the one answer.
     */
    @Test
    void rewritesLlavasFullUpload() throws IOException {
        Path upload = EvalData.require("llava-v1.5-eval/seed_bench/answers_upload/llava-v1.5-13b.jsonl");
        JsonMapper json = new JsonMapper();
        ObjectNode bench = json.createObjectNode();
        ArrayNode questions = bench.putArray("questions");
        bench.putObject("question_type").put("Scene Understanding", 1);
        List<String> answers = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (String line : Files.readAllLines(upload)) {
            JsonNode u = json.readTree(line);
            String id = u.get("question_id").textValue();
            boolean image = id.chars().allMatch(Character::isDigit);
            questions
                    .addObject()
                    .put("question_id", id)
                    .put("answer", "A")
                    .put("data_type", image ? "image" : "video")
                    .put("question_type_id", 1);
            if (!answered.add(id)) {
                continue;
            }
            ObjectNode a = json.createObjectNode();
            if (image) {
                a.put("question_id", Long.parseLong(id));
            } else {
                a.put("question_id", id);
            }
            answers.add(a.put("text", u.get("prediction").textValue()).toString());
        }
        Path benchFile = tmp.resolve("SEED-Bench.json");
        json.writeValue(benchFile.toFile(), bench);
        Path out = tmp.resolve("upload.jsonl");
        SeedSubmission.write(
                SeedBench.read(benchFile), AnswerFile.read(Files.write(tmp.resolve("a.jsonl"), answers)), out);
        assertEquals(Files.readString(upload), Files.readString(out));
    }
}
