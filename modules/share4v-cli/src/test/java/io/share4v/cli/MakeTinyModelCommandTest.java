package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code make-tiny-model} writes a model directory that forward and generate load like a real checkpoint. */
class MakeTinyModelCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theTinyModelLoadsInForwardAndGenerateWithTheSampleTokenizer() throws Exception {
        Path model = tmp.resolve("tiny");
        CliRun made = CliRun.of(
                "make-tiny-model",
                "--out",
                model.toString(),
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--seed",
                "7");
        assertEquals(0, made.exit(), made.err());
        assertTrue(made.out().contains("vocabulary 32000"), made.out());
        assertTrue(Files.isRegularFile(model.resolve("vision_tower/config.json")));
        assertTrue(Files.isRegularFile(model.resolve("tokenizer.model")));
        assertTrue(Files.readString(model.resolve("config.json")).contains("\"mm_vision_tower\": \"vision_tower\""));

        Path req = tmp.resolve("req.json");
        Files.writeString(req, "{\"input_ids\": [[1, 450, 4799, 338, 2]], \"labels\": [[-100, 450, 4799, 338, 2]]}");
        CliRun forward = CliRun.of(
                "forward",
                "--model",
                model.toString(),
                "--request",
                req.toString(),
                "--out",
                tmp.resolve("out.npz").toString(),
                "--backend",
                "java");
        assertEquals(0, forward.exit(), forward.err());
        // random weights of std 0.02: the logits are nearly flat, so the loss is close to ln(32000) = 10.37
        String loss = forward.out().replaceAll("(?s).*loss ([0-9.]+).*", "$1");
        assertEquals(Math.log(32000), Double.parseDouble(loss), 0.05, forward.out());

        Path img = tmp.resolve("photo.jpg");
        Files.copy(CliRun.DATA_TEST.resolve("images/jpeg_444_333x250.jpg"), img);
        CliRun generate = CliRun.of(
                "generate",
                "--model",
                model.toString(),
                "--image",
                img.toString(),
                "--prompt",
                "What is in the picture?",
                "--max-new-tokens",
                "4",
                "--print-ids",
                "--backend",
                "java");
        assertEquals(0, generate.exit(), generate.err());
        assertEquals(4, generate.lines().get(generate.lines().size() - 1).split(",").length, generate.out());
    }

    @Test
    void aNonEmptyOutputDirectoryNeedsOverwrite() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(model.resolve("stale.safetensors"), "old");
        CliRun refused =
                CliRun.of("make-tiny-model", "--out", model.toString(), "--tokenizer", CliRun.TOKENIZER.toString());
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("pass --overwrite"), refused.err());
        CliRun replaced = CliRun.of(
                "make-tiny-model",
                "--out",
                model.toString(),
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--overwrite");
        assertEquals(0, replaced.exit(), replaced.err());
        assertTrue(Files.notExists(model.resolve("stale.safetensors")), "the old model's files are gone");
    }
}
