package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code share4v score --benchmark pope} on the eval module's POPE excerpt: the printed keys (a contract). */
class ScoreCommandPopeTest {
    private static final Path POPE = Path.of("../share4v-eval/src/test/resources/pope");

    private static CliRun pope(String... extra) {
        String[] base = {
            "score",
            "--benchmark",
            "pope",
            "--answers",
            POPE.resolve("llava-v1.5-13b.jsonl").toString(),
            "--annotations",
            POPE.resolve("annotations").toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void printsMeanF1AndThePerSplitObjects() throws Exception {
        CliRun run = pope("--questions", POPE.resolve("llava_pope_test.jsonl").toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode out = new ObjectMapper().readTree(run.out());
        Set<String> keys = new TreeSet<>();
        out.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("benchmark", "f1", "adversarial", "popular", "random", "questions", "answered"), keys);
        JsonNode expected =
                new ObjectMapper().readTree(POPE.resolve("expected.json").toFile());
        assertEquals(expected.get("f1").doubleValue(), out.get("f1").doubleValue(), 1e-9);
        for (String split : new String[] {"adversarial", "popular", "random"}) {
            Set<String> splitKeys = new TreeSet<>();
            out.get(split).fieldNames().forEachRemaining(splitKeys::add);
            assertEquals(
                    Set.of("accuracy", "precision", "recall", "f1", "yes_ratio", "tp", "fp", "tn", "fn"), splitKeys);
        }
    }

    @Test
    void withoutTheQuestionFileItSaysWhyItIsNeeded() {
        CliRun run = pope();
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("pope needs --questions"), run.err());
    }
}
