package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.image.AspectMode;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.fixtures.TinyModels;
import io.share4v.tensor.backend.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v eval}: the contract flags answer a POPE question file into the reference's answer file (keys and
 * order), on local[2] in two chunks, with the summary on stderr; a re-run resumes (nothing answered again) and
 * {@code --annotations} prints the score.
 */
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BenchmarkFixture pope;
    private static Path model;

    @TempDir
    static Path fixtures;

    @TempDir
    Path out;

    @BeforeAll
    static void write() throws Exception {
        pope = BenchmarkLayout.layOut("pope", fixtures);
        model = TinyModels.write(fixtures.resolve("tiny-llava"), AspectMode.PAD, 7, Backends.create("java"));
    }

    private CliRun eval(Path answers, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "eval",
                "--benchmark",
                "pope",
                "--model",
                model.toString(),
                "--questions",
                pope.questions().toString(),
                "--image-folder",
                pope.imageFolder().toString(),
                "--answers",
                answers.toString(),
                "--max-new-tokens",
                "4",
                "--master",
                "local[2]",
                "--backend",
                "java"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void writesTheReferenceAnswerFileAndResumes() throws Exception {
        Path answers = out.resolve("pope-answers.jsonl");
        CliRun run = eval(answers);
        assertEquals(0, run.exit(), run.err());
        List<String> lines = Files.readAllLines(answers);
        assertEquals(6, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        Set<String> keys = new TreeSet<>();
        first.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("question_id", "prompt", "text", "answer_id", "model_id", "metadata"), keys);
        assertEquals(1, first.get("question_id").asInt());
        assertEquals("tiny-llava", first.get("model_id").asText());
        assertTrue(first.get("metadata").isObject() && first.get("metadata").isEmpty());
        assertEquals(20000001, JSON.readTree(lines.get(4)).get("question_id").asInt());
        assertTrue(run.err().contains("pope: questions 6, answered 6 (6 this run, 0 resumed)"), run.err());
        assertTrue(run.err().contains("questions/s") && run.err().contains("tokens/s"), run.err());
        assertEquals("", run.out(), "without --annotations nothing goes to stdout");
        Path parts = out.resolve("pope-answers.jsonl.parts");
        assertTrue(
                Files.exists(parts.resolve("chunk-00000.jsonl")) && Files.exists(parts.resolve("chunk-00001.jsonl")));
        assertTrue(Files.exists(parts.resolve("plan.json")) && Files.exists(parts.resolve("run.json")));

        CliRun again = eval(answers, "--annotations", pope.annotations().toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("answered 6 (0 this run, 6 resumed)"), again.err());
        assertEquals(lines, Files.readAllLines(answers));
        JsonNode score = JSON.readTree(again.out());
        assertEquals("pope", score.get("benchmark").asText());
        assertTrue(score.has("f1") && score.has("random"), again.out());
    }

    @Test
    void anUnknownBenchmarkOrMissingFlagIsAOneLineError() {
        CliRun run = CliRun.of(
                "eval",
                "--benchmark",
                "nope",
                "--model",
                model.toString(),
                "--questions",
                pope.questions().toString(),
                "--answers",
                out.resolve("a.jsonl").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--benchmark nope is unknown"), run.err());
        run = CliRun.of("eval", "--benchmark", "pope", "--model", model.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--answers") && run.err().contains("--questions"), run.err());
    }
}
