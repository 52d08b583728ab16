package io.share4v.eval.submit;

import static io.share4v.eval.score.ScorerHarness.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VizWiz upload equals the one LLaVA uploaded for LLaVA-1.5-13B. */
class VizWizSubmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private void writesTheUpload(Path answers, Path questions, Path expected) throws IOException {
        Path out = dir.resolve("upload/llava-v1.5-13b.json");
        VizWizSubmission.build(AnswerFile.read(answers), questions).write(out);
        JsonNode written = JSON.readTree(out.toFile());
        JsonNode reference = JSON.readTree(expected.toFile());
        assertEquals(reference.size(), written.size());
        for (int i = 0; i < reference.size(); i++) {
            assertEquals(reference.get(i), written.get(i), "entry " + i);
        }
    }

    @Test
    void excerptMatchesLlavasUpload() throws IOException {
        writesTheUpload(
                resource("vizwiz/answers.jsonl"),
                resource("vizwiz/llava_test.jsonl"),
                resource("vizwiz/answers_upload.json"));
    }

    /** All 8,000 answers: 2,060 distinct (answer, processed) pairs exercise the EvalAI processor. */
    @Test
    void fullFileMatchesLlavasUpload() throws IOException {
        writesTheUpload(
                EvalData.require("llava-v1.5-eval/vizwiz/answers/llava-v1.5-13b.jsonl"),
                EvalData.require("llava-v1.5-eval/vizwiz/llava_test.jsonl"),
                EvalData.require("llava-v1.5-eval/vizwiz/answers_upload/llava-v1.5-13b.json"));
    }

    @Test
    void everyQuestionNeedsAnAnswer() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(
                answers, Files.readAllLines(resource("vizwiz/answers.jsonl")).subList(1, 14));
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> VizWizSubmission.build(AnswerFile.read(answers), resource("vizwiz/llava_test.jsonl")));
        assertTrue(
                e.getMessage().contains("1 of 14 questions") && e.getMessage().contains(": 0"), e.getMessage());
    }
}
