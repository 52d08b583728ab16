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
 * {@code share4v bench-preprocess}: the printed counts and the dump are checked against the reference fixtures
 * of the share4v-data module (the Python re-statement of train.py); the throughput itself is never asserted.
 */
class BenchPreprocessCommandTest {
    private static final Path RECORDS = CliRun.DATA_TEST.resolve("preprocess/v1.records.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode fixtureCase(String name) throws IOException {
        for (JsonNode c :
                JSON.readTree(CliRun.DATA_TEST.resolve("preprocess/cases.json").toFile())) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException("no case " + name);
    }

    @Test
    void printsOneJsonLineWithTheReferenceCountsAndDumpsTheReferenceLines(@TempDir Path dir) throws IOException {
        Path dump = dir.resolve("dump.jsonl");
        CliRun r = CliRun.of(
                "bench-preprocess",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--input",
                RECORDS.toString(),
                "--seconds",
                "0.2",
                "--warmup-seconds",
                "0",
                "--dump",
                dump.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        JsonNode res = JSON.readTree(r.out());
        JsonNode want = fixtureCase("v1-2048");
        assertEquals(want.get("records").asInt(), res.get("records").asInt());
        assertEquals(want.get("rejected").asInt(), res.get("rejected").asInt());
        assertEquals(want.get("mismatch").asInt(), res.get("mismatches").asInt());
        assertEquals(1, res.get("threads").asInt());
        assertEquals("warm", res.get("word_cache").asText());
        assertTrue(res.get("processed").asLong() > 0, r.out());
        assertTrue(res.get("records_per_s").asDouble() > 0, r.out());
        assertEquals(
                res.get("records_per_s").asDouble(),
                res.get("records_per_s_per_thread").asDouble(),
                1e-6);

        List<String> expected = Files.readAllLines(
                CliRun.DATA_TEST.resolve("preprocess/v1-2048.expected.jsonl"), StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(dump, StandardCharsets.UTF_8);
        assertEquals(expected.size(), lines.size());
        long tokens = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode e = JSON.readTree(expected.get(i));
            JsonNode got = JSON.readTree(lines.get(i));
            assertEquals(e.get("id"), got.get("id"), "line " + i);
            if (e.has("rejected")) {
                assertEquals(e.get("rejected"), got.get("rejected"), lines.get(i));
            } else {
                assertEquals(
                        "{\"id\":" + e.get("id") + ",\"input_ids\":" + e.get("input_ids") + ",\"labels\":"
                                + e.get("labels") + "}",
                        lines.get(i));
                tokens += e.get("input_ids").size();
            }
        }
        double mean = (double) tokens
                / (want.get("records").asInt() - want.get("rejected").asInt());
        assertEquals(mean, res.get("mean_tokens_per_record").asDouble(), 0.005);
    }

    @Test
    void coldCacheOnTwoThreadsRunsWholePasses() throws IOException {
        CliRun r = CliRun.of(
                "bench-preprocess",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--input",
                RECORDS.toString(),
                "--seconds",
                "0.1",
                "--warmup-seconds",
                "0",
                "--workers",
                "2",
                "--cold-cache");
        assertEquals(0, r.exit(), r.err());
        JsonNode res = JSON.readTree(r.out());
        assertEquals(2, res.get("threads").asInt());
        assertEquals("cold", res.get("word_cache").asText());
        assertEquals(0, res.get("processed").asLong() % res.get("records").asLong(), r.out());
        // Both figures are printed with one decimal, so they agree to within the rounding of each.
        assertEquals(
                res.get("records_per_s").asDouble() / 2,
                res.get("records_per_s_per_thread").asDouble(),
                0.1);
    }

    @Test
    void badArgumentsAreClearErrors(@TempDir Path dir) throws IOException {
        CliRun workers = CliRun.of(
                "bench-preprocess",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--input",
                RECORDS.toString(),
                "--workers",
                "0");
        assertEquals(2, workers.exit());
        assertTrue(workers.err().contains("--workers = 0"), workers.err());
        CliRun missing = CliRun.of(
                "bench-preprocess",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--input",
                dir.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.json"), missing.err());
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "[]");
        CliRun none =
                CliRun.of("bench-preprocess", "--tokenizer", CliRun.TOKENIZER.toString(), "--input", empty.toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("no records"), none.err());
    }
}
