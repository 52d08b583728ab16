package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v train --sample}: stage 1 over the bundled sample on a local Spark, with the tiny model made on the
 * fly, writes checkpoints, metrics, the curves and a final model that generate loads.
 */
class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aTinyPretrainingRunOnTheSampleEndsWithAFinalModel() throws Exception {
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of(
                "train",
                "--conf",
                "../../conf/tiny-pretrain.yaml",
                "--sample",
                "--output",
                out.toString(),
                "--max-steps",
                "2",
                "--set",
                "run.backend=java");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("trained steps 0..2 of 2 on 2 workers"), run.out());
        assertTrue(Files.isRegularFile(out.resolve("final/config.json")));
        assertTrue(Files.isRegularFile(out.resolve("final/vision_tower/config.json")), "stage 1 trains the tower");
        assertTrue(Files.isRegularFile(out.resolve("curves.png")));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());

        CliRun generate = CliRun.of(
                "generate",
                "--model",
                out.resolve("final").toString(),
                "--image",
                "../../data-manifests/sample/outside.jpg",
                "--prompt",
                "Describe the picture.",
                "--max-new-tokens",
                "3",
                "--backend",
                "java");
        assertEquals(0, generate.exit(), generate.err());
    }
}
