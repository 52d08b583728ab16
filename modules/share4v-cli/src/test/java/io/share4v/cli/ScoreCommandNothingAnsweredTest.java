package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code share4v score --allow-partial} over an answers file that answers nothing: an input error, not a score. */
class ScoreCommandNothingAnsweredTest {
    private static final Path POPE = Path.of("../share4v-eval/src/test/resources/pope");

    @TempDir
    Path tmp;

    @Test
    void anEmptyAnswersFileIsAnInputErrorEvenWithAllowPartial() throws Exception {
        Path empty = Files.writeString(tmp.resolve("answers.jsonl"), "");
        CliRun run = CliRun.of(
                "score",
                "--benchmark",
                "pope",
                "--answers",
                empty.toString(),
                "--questions",
                POPE.resolve("llava_pope_test.jsonl").toString(),
                "--annotations",
                POPE.resolve("annotations").toString(),
                "--allow-partial");
        assertEquals(2, run.exit(), run.out());
        assertEquals("", run.out());
        assertTrue(
                run.err()
                        .contains(empty + ": no answers to any of the 36 questions of "
                                + POPE.resolve("llava_pope_test.jsonl")),
                run.err());
    }
}
