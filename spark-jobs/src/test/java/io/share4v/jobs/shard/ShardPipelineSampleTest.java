package io.share4v.jobs.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.Tokens;
import io.share4v.data.image.AspectMode;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.data.record.JsonArrayStream;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardRow;
import io.share4v.data.shard.ShardSchema;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.data.text.MismatchPolicy;
import io.share4v.data.text.PreprocessConfig;
import io.share4v.data.text.SamplePreprocessor;
import io.share4v.data.text.TokenizeJson;
import io.share4v.data.text.TokenizedSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the bundled sample (both manifests, every deliberate bad record). */
class ShardPipelineSampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    private static Path out;
    private static ShardResult result;
    private static List<ShardRow> rows;

    @BeforeAll
    static void shardSample() throws IOException {
        spark = TestSpark.start("shard-sample-test");
        out = tmp.resolve("out");
        result = ShardPipeline.run(spark, TestSpark.sampleConfig(out, Map.of()));
        rows = readAllShards(out);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static List<ShardRow> readAllShards(Path dir) throws IOException {
        List<ShardRow> all = new ArrayList<>();
        for (Path f : ShardReader.shardFiles(dir)) {
            all.addAll(ShardReader.readAll(f, true));
        }
        return all;
    }

    /** expected.json: per dataset, the outcome of each record index. */
    private static Map<String, List<String>> expected() throws IOException {
        JsonNode root = JSON.readTree(TestSpark.SAMPLE.resolve("expected.json").toFile());
        Map<String, List<String>> m = new HashMap<>();
        root.fields().forEachRemaining(e -> {
            List<String> l = new ArrayList<>();
            e.getValue().forEach(v -> l.add(v.asText()));
            m.put(e.getKey(), l);
        });
        return m;
    }

    @Test
    void countsPerDatasetAndReasonMatchTheSampleExpectations() throws IOException {
        Map<String, List<String>> exp = expected();
        for (ShardResult.DatasetCounts c : result.datasets()) {
            List<String> outcomes = exp.get(c.name());
            Map<String, Long> wantRejects = new TreeMap<>();
            long wantWritten = 0;
            long wantMismatch = 0;
            for (String o : outcomes) {
                if (o.startsWith("WRITTEN")) {
                    wantWritten++;
                    wantMismatch += o.equals("WRITTEN_MISMATCH") ? 1 : 0;
                } else {
                    wantRejects.merge(o, 1L, Long::sum);
                }
            }
            assertEquals(outcomes.size(), c.read(), c.name() + " read");
            assertEquals(wantWritten, c.written(), c.name() + " written");
            assertEquals(wantRejects, c.rejectsByReason(), c.name() + " rejects by reason");
            assertEquals(wantMismatch, c.mismatchesKept(), c.name() + " mismatches kept");
        }
        assertEquals(result.recordsRead(), result.recordsWritten() + result.recordsRejected());
        assertEquals(43, result.recordsRead());
    }

    @Test
    void ledgerListsEveryRejectWithItsRecordIndexAndReason() throws IOException {
        Map<String, List<String>> exp = expected();
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out.resolve(ShardSchema.REJECTS_DIR))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .toList()) {
                for (String l : Files.readAllLines(f)) {
                    lines.add(JSON.readTree(l));
                }
            }
        }
        assertEquals(result.recordsRejected(), lines.size());
        for (JsonNode l : lines) {
            String want =
                    exp.get(l.get("dataset").asText()).get(l.get("record_index").asInt());
            assertEquals(want, l.get("reason").asText(), l.toString());
            assertTrue(l.has("detail") && l.has("id"), l.toString());
        }
        // Rejects whose record has an id carry it (the ledger's join key back to the source).
        assertTrue(lines.stream().anyMatch(l -> "s1-0011".equals(l.path("id").asText())));
    }

    @Test
    void shardsHoldEveryWrittenRowInGlobalOrder() {
        assertEquals(result.recordsWritten(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).order(), "rows are stored in ascending, contiguous order");
        }
        Map<String, List<String>> exp;
        try {
            exp = expected();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (ShardRow r : rows) {
            String want = exp.get(r.dataset()).get((int) r.recordIndex());
            assertTrue(want.startsWith("WRITTEN"), r.id() + " should not have been written");
            assertEquals(want.equals("WRITTEN_MISMATCH"), r.mismatch(), r.id());
            assertEquals(r.inputIds().length, r.labels().length, r.id());
            assertEquals(Tokens.IGNORE_INDEX, r.labels()[0], "BOS is never supervised");
            if (r.mismatch()) {
                assertTrue(Arrays.stream(r.labels()).allMatch(l -> l == Tokens.IGNORE_INDEX));
            }
            if (r.hasImage()) {
                assertNotNull(r.image(), r.id());
                assertNotNull(r.imagePath());
                assertTrue(r.width() * r.height() <= 100_000 && r.width() > 0, r.id());
                assertEquals(
                        1,
                        Arrays.stream(r.inputIds())
                                .filter(t -> t == Tokens.IMAGE_TOKEN_INDEX)
                                .count());
                assertEquals(r.inputIds().length + 575, r.nTokens(), r.id());
            } else {
                assertNull(r.image());
                assertNull(r.width());
                assertEquals(r.inputIds().length, r.nTokens());
            }
            assertEquals(r.dataset().equals("sample-pt") ? "plain" : "v1", r.template());
        }
    }

    @Test
    void readerProjectionSkipsImagesOnly() throws IOException {
        List<ShardRow> slim = new ArrayList<>();
        for (Path f : ShardReader.shardFiles(out)) {
            slim.addAll(ShardReader.readAll(f, false));
        }
        assertEquals(rows.size(), slim.size());
        for (int i = 0; i < rows.size(); i++) {
            assertNull(slim.get(i).image());
            assertEquals(rows.get(i).id(), slim.get(i).id());
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    rows.get(i).inputIds(), slim.get(i).inputIds());
            assertEquals(rows.get(i).width(), slim.get(i).width());
        }
    }

    @Test
    void imageBytesAreTheFileOnDisk() throws IOException {
        ShardRow r =
                rows.stream().filter(x -> x.id().equals("s1-0001")).findFirst().orElseThrow();
        assertArrayEquals(Files.readAllBytes(TestSpark.SAMPLE.resolve("images").resolve(r.imagePath())), r.image());
        assertEquals(320, Math.max(r.width(), r.height()));
    }

    private static void assertArrayEquals(byte[] a, byte[] b) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }

    @Test
    void manifestJsonHasTheContractFields() throws IOException {
        JsonNode m = JSON.readTree(out.resolve(ShardSchema.MANIFEST_FILE).toFile());
        assertTrue(m.get("records_read").isIntegralNumber());
        assertEquals(43, m.get("records_read").asLong());
        assertEquals(
                m.get("records_read").asLong(),
                m.get("records_written").asLong() + m.get("records_rejected").asLong());
        assertEquals(ShardSchema.VERSION, m.get("schema_version").asInt());
        assertEquals(64, m.get("tokenizer_fingerprint").asText().length());
        assertEquals(2, m.get("datasets").size());
        for (JsonNode d : m.get("datasets")) {
            assertTrue(Files.isDirectory(Path.of(d.get("image_root").asText())), d.toString());
        }
        long shardRows = 0;
        for (JsonNode s : m.get("shards")) {
            assertTrue(Files.isRegularFile(out.resolve(s.get("path").asText())));
            shardRows += s.get("rows").asLong();
        }
        assertEquals(m.get("records_written").asLong(), shardRows);
        assertEquals("shuffle", m.get("config").get("ordering").asText());
        assertFalse(Files.exists(out.resolve("_staging")), "staging is removed");
        assertEquals(0, m.get("warnings").size(), m.get("warnings").toString());
    }

    @Test
    void sameSeedGivesTheSameOrderAndAnotherSeedAnother() throws IOException {
        Path again = tmp.resolve("again");
        ShardPipeline.run(spark, TestSpark.sampleConfig(again, Map.of("partitions", 3, "target_shard_mb", 1)));
        assertEquals(orderById(rows), orderById(readAllShards(again)));
        Path other = tmp.resolve("other");
        ShardPipeline.run(spark, TestSpark.sampleConfig(other, Map.of("seed", 7L)));
        assertNotEquals(orderById(rows), orderById(readAllShards(other)));
    }

    private static Map<String, Long> orderById(List<ShardRow> rs) {
        Map<String, Long> m = new TreeMap<>();
        rs.forEach(r -> m.put(r.dataset() + "/" + r.id(), r.order()));
        return m;
    }

    @Test
    void badInputsFailBeforeAnyWorkNamingTheFile() throws IOException {
        List<DatasetManifest> sample = TestSpark.sampleManifests();
        DatasetManifest pt = sample.get(0);
        DatasetManifest wrongSha = new DatasetManifest(
                pt.name(),
                pt.stage(),
                pt.json(),
                pt.imageRoot(),
                pt.template(),
                pt.aspect(),
                pt.expectedCount(),
                pt.expectedCountExact(),
                "0".repeat(64),
                pt.maxImagePixels(),
                pt.notes());
        assertFailsBeforeWork(List.of(sample.get(1), wrongSha), "sha256", "sample-pt.json");

        Path truncated = tmp.resolve("truncated.json");
        byte[] full = Files.readAllBytes(TestSpark.SAMPLE.resolve("sample-mix.json"));
        Files.write(truncated, Arrays.copyOf(full, full.length / 2));
        assertFailsBeforeWork(
                List.of(pt, DatasetManifest.adHoc("cut", truncated, TestSpark.SAMPLE, "v1", AspectMode.PAD)),
                "truncated",
                "truncated.json");

        Path missing = tmp.resolve("no-such.json");
        assertFailsBeforeWork(
                List.of(pt, DatasetManifest.adHoc("gone", missing, TestSpark.SAMPLE, "v1", AspectMode.PAD)),
                "does not exist",
                "no-such.json");
    }

    private static void assertFailsBeforeWork(List<DatasetManifest> datasets, String why, String file)
            throws IOException {
        Path o = tmp.resolve("fail-" + file);
        ShardConfig cfg = TestSpark.sampleConfig(o, Map.of()).withDatasets(datasets);
        IOException e =
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ShardPipeline.run(spark, cfg));
        assertTrue(e.getMessage().contains(why) && e.getMessage().contains(file), e.getMessage());
        try (Stream<Path> left = Files.list(o)) {
            assertEquals(List.of(), left.toList(), "nothing written, staging removed");
        }
    }

    @Test
    void refusesANonEmptyOutputUnlessOverwrite() throws IOException {
        Path o = tmp.resolve("busy");
        Files.createDirectories(o);
        Files.writeString(o.resolve("keep.txt"), "x");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class, () -> ShardPipeline.run(spark, TestSpark.sampleConfig(o, Map.of())));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertTrue(Files.exists(o.resolve("keep.txt")));
        IOException notOurs = org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class,
                () -> ShardPipeline.run(spark, TestSpark.sampleConfig(o, Map.of("overwrite", true))));
        assertTrue(notOurs.getMessage().contains("refusing to delete"), notOurs.getMessage());
        assertTrue(Files.exists(o.resolve("keep.txt")));
    }

    @Test
    void modalityGroupingPathModeAndRejectPolicy() throws IOException {
        Path o = tmp.resolve("grouped");
        int world = 2;
        int batch = 2;
        ShardResult r = ShardPipeline.run(
                spark,
                TestSpark.sampleConfig(
                        o,
                        Map.of(
                                "ordering",
                                "group_by_modality_length",
                                "world_size",
                                world,
                                "per_device_batch",
                                batch,
                                "image_mode",
                                "path",
                                "mismatch_policy",
                                "reject")));
        ShardResult.DatasetCounts mix = r.datasets().get(1);
        assertEquals(1L, mix.rejectsByReason().get("TOKENIZATION_MISMATCH"));
        assertEquals(0, mix.mismatchesKept());
        List<ShardRow> grouped = readAllShards(o);
        assertTrue(grouped.stream().allMatch(x -> x.image() == null), "path mode stores no image bytes");
        assertTrue(
                grouped.stream().filter(ShardRow::hasImage).allMatch(x -> x.imagePath() != null && x.width() != null));
        int mega = world * batch;
        long images = grouped.stream().filter(ShardRow::hasImage).count();
        long texts = grouped.size() - images;
        long tail = (images % mega == 0 ? mega : images % mega) + (texts % mega == 0 ? mega : texts % mega);
        for (int start = 0; start + batch <= grouped.size() - tail; start += batch) {
            boolean img = grouped.get(start).hasImage();
            for (int i = start; i < start + batch; i++) {
                assertEquals(
                        img, grouped.get(i).hasImage(), "per-device batch at order " + start + " mixes modalities");
            }
        }
    }

    @Test
    void rowsEqualWhatTokenizeJsonGivesForTheSameRecords() throws IOException {
        Map<String, String> want = new HashMap<>();
        for (DatasetManifest m : TestSpark.sampleManifests()) {
            SamplePreprocessor pre = new SamplePreprocessor(
                    LlamaTokenizer.load(TestSpark.TOKENIZER),
                    new PreprocessConfig(m.template(), 2048, MismatchPolicy.KEEP_IGNORED, 576));
            try (JsonArrayStream in =
                    new JsonArrayStream(Files.newInputStream(m.jsonPath(TestSpark.SAMPLE)), m.name())) {
                for (JsonArrayStream.Element e = in.nextOrNull(); e != null; e = in.nextOrNull()) {
                    try {
                        want.put(
                                m.name() + "#" + e.index(),
                                TokenizeJson.line(pre.process(LlavaRecord.fromJson(e.node()))));
                    } catch (RecordRejectedException rejected) {
                        // rejected by text processing: the shard must not contain it (checked by index below)
                    }
                }
            }
        }
        for (ShardRow r : rows) {
            String key = r.dataset() + "#" + r.recordIndex();
            String got = TokenizeJson.line(new TokenizedSample(
                    r.id(), r.inputIds(), r.labels(), r.mismatch(), r.hasImage() ? 1 : 0, r.nTokens()));
            assertEquals(want.get(key), got, key);
        }
        // The worked example's shape: v1 rows start with BOS and the system prompt's first piece.
        ShardRow v1 =
                rows.stream().filter(x -> x.template().equals("v1")).findFirst().orElseThrow();
        assertEquals(1, v1.inputIds()[0]);
        assertEquals(319, v1.inputIds()[1]);
    }
}
