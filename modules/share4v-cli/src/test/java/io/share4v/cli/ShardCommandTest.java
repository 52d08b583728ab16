package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardRow;
import io.share4v.data.text.TokenizeJson;
import io.share4v.data.text.TokenizedSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code share4v shard} through picocli: the output contract the checks rely on, and agreement with {@code tokenize}. */
class ShardCommandTest {
    private static final Path SAMPLE =
            Path.of("../../data-manifests/sample").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sampleFormWritesTheContractOutputAndAgreesWithTokenize(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("shard", "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("43 read, 24 written, 19 rejected"), r.out());

        List<Path> parquet;
        try (Stream<Path> s = Files.walk(out)) {
            parquet = s.filter(p -> p.toString().endsWith(".parquet") && !p.startsWith(out.resolve("rejects")))
                    .toList();
        }
        assertFalse(parquet.isEmpty());
        JsonNode m = JSON.readTree(out.resolve("_manifest.json").toFile());
        for (String k : List.of("records_read", "records_written", "records_rejected")) {
            assertTrue(m.get(k).isIntegralNumber(), k);
        }
        assertEquals(43, m.get("records_read").asLong());
        List<JsonNode> ledger = new ArrayList<>();
        try (Stream<Path> s = Files.list(out.resolve("rejects"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    ledger.add(JSON.readTree(line));
                }
            }
        }
        assertEquals(19, ledger.size());
        assertTrue(ledger.stream().allMatch(l -> l.has("id") && l.has("reason")));

        // Every stage-2 row equals the line `share4v tokenize` prints for the same record.
        CliRun tok = CliRun.of(
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--template",
                "v1",
                "--input",
                SAMPLE.resolve("sample-mix.json").toString());
        assertEquals(0, tok.exit(), tok.err());
        String[] lines = tok.out().split("\n");
        int compared = 0;
        for (Path f : parquet) {
            for (ShardRow row : ShardReader.readAll(f, false)) {
                if (row.dataset().equals("sample-mix")) {
                    String got = TokenizeJson.line(new TokenizedSample(
                            row.id(),
                            row.inputIds(),
                            row.labels(),
                            row.mismatch(),
                            row.hasImage() ? 1 : 0,
                            row.nTokens()));
                    assertEquals(lines[(int) row.recordIndex()], got);
                    compared++;
                }
            }
        }
        assertEquals(14, compared);

        CliRun again = CliRun.of("shard", "--out", out.toString(), "--master", "local[2]");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("not empty") && again.err().contains("--overwrite"), again.err());
    }

    @Test
    void oneFileForm(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("one");
        CliRun r = CliRun.of(
                "shard",
                "--input",
                SAMPLE.resolve("sample-pt.json").toString(),
                "--image-root",
                SAMPLE.resolve("images").toString(),
                "--template",
                "plain",
                "--aspect",
                "square",
                "--tokenizer",
                CliRun.TOKENIZER.toString(),
                "--out",
                out.toString(),
                "--master",
                "local[2]");
        assertEquals(0, r.exit(), r.err());
        JsonNode m = JSON.readTree(out.resolve("_manifest.json").toFile());
        // Without the sample manifest's tiny pixel limit, the 400x400 photo is a normal sample.
        assertEquals(23, m.get("records_read").asLong());
        assertEquals(11, m.get("records_written").asLong());
        assertEquals("sample-pt", m.get("datasets").get(0).get("name").asText());
    }

    @Test
    void incompleteOneFileFormIsAClearError(@TempDir Path tmp) {
        CliRun r = CliRun.of(
                "shard", "--input", "x.json", "--out", tmp.resolve("o").toString(), "--tokenizer", "t");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--image-root"), r.err());
    }

    @Test
    void outIsRequiredHereThoughOptionalForShardJob() {
        CliRun r = CliRun.of("shard", "--sample");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required option: '--out=DIR'"), r.err());
    }
}
