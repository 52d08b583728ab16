package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v score --benchmark mme} on the eval module's MME excerpt: the printed keys (a contract used by
 * checks), the answer jsonl and the results-directory forms, and a missing answer failing with exit code 2.
 */
class ScoreCommandMmeTest {
    private static final Path MME = Path.of("../share4v-eval/src/test/resources/mme");

    @TempDir
    Path tmp;

    @Test
    void answerJsonlPrintsPerceptionCognitionAndSubtasks() throws Exception {
        CliRun run = CliRun.of(
                "score",
                "--benchmark",
                "mme",
                "--answers",
                MME.resolve("llava-v1.5-13b.jsonl").toString(),
                "--annotations",
                MME.resolve("ground-truth").toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode out = new ObjectMapper().readTree(run.out());
        assertEquals(Set.of("benchmark", "perception", "cognition", "subtasks", "questions", "answered"), names(out));
        assertEquals("mme", out.get("benchmark").textValue());
        JsonNode expected =
                new ObjectMapper().readTree(MME.resolve("expected.json").toFile());
        assertEquals(
                expected.at("/llava-v1.5-13b.jsonl/perception").doubleValue(),
                out.get("perception").doubleValue(),
                1e-9);
        assertEquals(
                Set.of("acc", "acc_plus", "score", "other"),
                names(out.get("subtasks").get("OCR")));
    }

    @Test
    void resultsDirectoryIsAcceptedAsAnswers() throws Exception {
        CliRun run = CliRun.of(
                "score", "--benchmark", "mme", "--answers", MME.resolve("lavin").toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode expected =
                new ObjectMapper().readTree(MME.resolve("expected.json").toFile());
        assertEquals(
                expected.at("/lavin/cognition").doubleValue(),
                new ObjectMapper().readTree(run.out()).get("cognition").doubleValue(),
                1e-9);
    }

    @Test
    void missingAnswersFailWithExitCode2() throws Exception {
        List<String> lines = Files.readAllLines(MME.resolve("llava-v1.5-13b.jsonl"));
        Path some = Files.write(tmp.resolve("some.jsonl"), lines.subList(2, lines.size()));
        CliRun run = CliRun.of(
                "score",
                "--benchmark",
                "mme",
                "--answers",
                some.toString(),
                "--annotations",
                MME.resolve("ground-truth").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("2 of 64 questions of"), run.err());
        assertTrue(run.err().contains("--allow-partial"), run.err());
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
