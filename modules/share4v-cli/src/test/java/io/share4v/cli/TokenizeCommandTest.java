package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v tokenize} through picocli with captured output. The tokenizer and the reference fixtures
 * are the share4v-data module's test resources (same repository; not duplicated here).
 */
class TokenizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void printsOneLinePerRecordMatchingTheReferenceFixtures() throws IOException {
        CliRun r = CliRun.of(
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--template",
                "v1",
                "--input",
                CliRun.DATA_TEST.resolve("preprocess/v1.records.json").toString(),
                "--max-length",
                "64");
        assertEquals(0, r.exit(), r.err());
        List<String> expected =
                Files.readAllLines(CliRun.DATA_TEST.resolve("preprocess/v1-64.expected.jsonl"), StandardCharsets.UTF_8);
        List<String> lines = r.lines();
        assertEquals(expected.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode want = JSON.readTree(expected.get(i));
            JsonNode got = JSON.readTree(lines.get(i));
            assertEquals(want.get("id"), got.get("id"), "line " + i);
            if (want.has("rejected")) {
                assertEquals(want.get("rejected"), got.get("rejected"), lines.get(i));
                assertTrue(got.get("detail").asText().length() > 0);
            } else {
                String exact = "{\"id\":" + want.get("id") + ",\"input_ids\":" + want.get("input_ids") + ",\"labels\":"
                        + want.get("labels") + "}";
                assertEquals(exact, lines.get(i));
            }
        }
    }

    @Test
    void mismatchRejectOption_idFormsAndPlainTemplate(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.json");
        Files.writeString(
                in,
                "[\n"
                        + "{\"id\":\"m\",\"image\":\"a.jpg\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\\nQ\"},"
                        + "{\"from\":\"gpt\",\"value\":\"A</s>B\"}]},\n"
                        + "{\"id\":7,\"image\":\"b.jpg\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\"},"
                        + "{\"from\":\"gpt\",\"value\":\"A cat.\"}]},\n"
                        + "{\"conversations\":[]},\n"
                        + "42\n]",
                StandardCharsets.UTF_8);
        CliRun r = CliRun.of(
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--template",
                "v1",
                "--input",
                in.toString(),
                "--mismatch",
                "reject");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.lines();
        assertEquals(4, lines.size());
        assertTrue(
                lines.get(0)
                        .startsWith(
                                "{\"id\":\"m\",\"rejected\":\"TOKENIZATION_MISMATCH\",\"detail\":\"tokenization mismatch: "),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"id\":\"7\",\"input_ids\":[1,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"id\":null,\"rejected\":\"MISSING_FIELD\""), lines.get(2));
        assertTrue(lines.get(3).startsWith("{\"id\":null,\"rejected\":\"MALFORMED_RECORD\""), lines.get(3));

        CliRun keep = CliRun.of(
                "tokenize", "--tokenizer", CliRun.TOKENIZER.toString(), "--template", "v1", "--input", in.toString());
        assertTrue(
                keep.lines().get(0).startsWith("{\"id\":\"m\",\"input_ids\":[1,"),
                keep.lines().get(0));

        CliRun plain = CliRun.of(
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--template",
                "plain",
                "--input",
                in.toString());
        assertEquals(0, plain.exit(), plain.err());
        // "<image>" + "A cat." + "\n": BOS, image, ▁A, ▁cat, ., \n; the first two positions are masked.
        assertEquals(
                "{\"id\":\"7\",\"input_ids\":[1,-200,319,6635,29889,13],\"labels\":[-100,-100,319,6635,29889,13]}",
                plain.lines().get(1));
    }

    @Test
    void brokenJsonExitsTwoNamingTheFile(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("broken.json");
        Files.writeString(
                in,
                "[{\"id\":\"a\",\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"},"
                        + "{\"from\":\"gpt\",\"value\":\"yo\"}]}, {\"id\": ",
                StandardCharsets.UTF_8);
        CliRun r = CliRun.of(
                "tokenize", "--tokenizer", CliRun.TOKENIZER.toString(), "--template", "v1", "--input", in.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("broken.json"), r.err());
        assertEquals(1, r.lines().size()); // the good element before the break was printed
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.json");
        Files.writeString(in, "[]");
        CliRun r = CliRun.of(
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--template",
                "vicuna",
                "--input",
                in.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown") || r.err().contains("known templates"), r.err());
        CliRun missing = CliRun.of(
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--template",
                "v1",
                "--input",
                dir.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.json"), missing.err());
    }
}
