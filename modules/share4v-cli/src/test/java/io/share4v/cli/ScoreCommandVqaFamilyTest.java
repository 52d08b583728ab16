package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v score} for the VQA family, GQA, Q-Bench, LLaVA-Bench and MM-Vet on the eval module's excerpts: the
 * printed JSON object and its keys (a contract the README documents).
 */
class ScoreCommandVqaFamilyTest {
    private static final Path EXCERPTS = Path.of("../share4v-eval/src/test/resources");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode score(String benchmark, String answers, String questions, String annotations)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "score",
                "--benchmark",
                benchmark,
                "--answers",
                EXCERPTS.resolve(answers).toString()));
        if (questions != null) {
            args.addAll(List.of("--questions", EXCERPTS.resolve(questions).toString()));
        }
        args.addAll(List.of("--annotations", EXCERPTS.resolve(annotations).toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        JsonNode out = JSON.readTree(r.out());
        assertEquals(benchmark, out.get("benchmark").textValue());
        return out;
    }

    private static List<String> keys(JsonNode n) {
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void textvqa() throws IOException {
        JsonNode out = score("textvqa", "textvqa/answers.jsonl", null, "textvqa/TextVQA_0.5.1_val.json");
        assertEquals(List.of("benchmark", "accuracy", "questions", "answered"), keys(out));
        assertEquals(67.5, out.get("accuracy").doubleValue(), 1e-9);
    }

    @Test
    void vqav2() throws IOException {
        JsonNode out = score("vqav2", "vqav2/answers.jsonl", null, "vqav2/annotations.json");
        assertEquals(List.of("benchmark", "accuracy", "per_answer_type", "questions", "answered"), keys(out));
        assertEquals(65.0, out.get("accuracy").doubleValue(), 1e-9);
    }

    @Test
    void vizwiz() throws IOException {
        JsonNode out = score("vizwiz", "vizwiz/answers.jsonl", "vizwiz/llava_test.jsonl", "vizwiz/val.json");
        assertEquals(List.of("benchmark", "accuracy", "per_answer_type", "questions", "answered"), keys(out));
        assertEquals(80.0, out.get("accuracy").doubleValue(), 1e-9);
    }

    @Test
    void gqa() throws IOException {
        JsonNode out = score("gqa", "gqa/answers.jsonl", null, "gqa/testdev_balanced_questions.json");
        assertEquals(List.of("benchmark", "accuracy", "binary", "open", "questions", "answered"), keys(out));
        assertEquals(60.0, out.get("accuracy").doubleValue(), 1e-9);
    }

    @Test
    void qbench() throws IOException {
        JsonNode out = score("qbench", "qbench/answers.jsonl", null, "qbench/llvisionqa_dev.json");
        assertEquals(
                List.of("benchmark", "accuracy", "correct", "empty_responses", "questions", "answered"), keys(out));
        assertEquals(4, out.get("correct").intValue());
    }

    @Test
    void llavaBench() throws IOException {
        JsonNode out = score("llava_bench", "llava-bench/answers.jsonl", null, "llava-bench/reviews-eval1.jsonl");
        assertEquals(
                List.of(
                        "benchmark",
                        "judge",
                        "relative_score",
                        "gpt4_score",
                        "model_score",
                        "categories",
                        "questions",
                        "answered"),
                keys(out));
        assertEquals(
                "stored reviews/grades; the GPT-4 judge is not called offline",
                out.get("judge").textValue());
        assertEquals(List.of("complex", "conv", "detail"), keys(out.get("categories")));
        assertEquals(80.3, out.get("relative_score").doubleValue());
    }

    @Test
    void mmvet() throws IOException {
        JsonNode out = score("mmvet", "mmvet/answers.jsonl", "mmvet/mm-vet-synthetic.json", "mmvet/grades-3runs.json");
        assertEquals(
                List.of(
                        "benchmark",
                        "judge",
                        "total",
                        "std",
                        "runs",
                        "capabilities",
                        "capability_integrations",
                        "questions",
                        "answered"),
                keys(out));
        assertEquals(
                "stored reviews/grades; the GPT-4 judge is not called offline",
                out.get("judge").textValue());
        assertEquals(61.0, out.get("total").doubleValue());
    }

    @Test
    void missingAnswersFailUnlessAllowPartial(@TempDir Path dir) throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(
                answers,
                Files.readAllLines(EXCERPTS.resolve("gqa/answers.jsonl")).subList(0, 3));
        String truth = EXCERPTS.resolve("gqa/testdev_balanced_questions.json").toString();
        CliRun failed =
                CliRun.of("score", "--benchmark", "gqa", "--answers", answers.toString(), "--annotations", truth);
        assertNotEquals(0, failed.exit());
        assertTrue(failed.err().contains("7 of 10 questions"), failed.err());
        CliRun partial = CliRun.of(
                "score",
                "--benchmark",
                "gqa",
                "--answers",
                answers.toString(),
                "--annotations",
                truth,
                "--allow-partial");
        assertEquals(0, partial.exit(), partial.err());
        assertEquals(7, JSON.readTree(partial.out()).get("missing").intValue());
    }
}
