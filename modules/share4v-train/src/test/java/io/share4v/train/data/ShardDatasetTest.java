package io.share4v.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardDatasetTest {
    private static final TestShards.Facts FACTS = TestShards.Facts.stage2();

    @TempDir
    Path tmp;

    /** 16 rows in files of 5, 7 and 4 rows, row groups of 2 rows: boundaries of both kinds everywhere. */
    private Path sixteenRows() throws IOException {
        return TestShards.write(tmp.resolve("out"), TestShards.rows(16, FACTS), new int[] {5, 7, 4}, 2, FACTS);
    }

    @Test
    void readsAnyRowsAcrossFileAndRowGroupBoundaries() throws IOException {
        List<ShardRow> expected = TestShards.rows(16, FACTS);
        try (ShardDataset ds = ShardDataset.open(sixteenRows().toString(), new Configuration())) {
            assertEquals(16, ds.rows());
            long[] asked = {15, 0, 6, 5, 4, 11, 11, 3, 12, 1};
            List<ShardRow> got = ds.read(asked);
            for (int i = 0; i < asked.length; i++) {
                assertSame(expected.get((int) asked[i]), got.get(i));
            }
            // consecutive micro-batches continue forward, and going back re-reads correctly
            for (long[] micro : new long[][] {{6, 7}, {8, 9}, {10}, {2, 3}, {13, 14, 15}}) {
                List<ShardRow> rows = ds.read(micro);
                for (int i = 0; i < micro.length; i++) {
                    assertSame(expected.get((int) micro[i]), rows.get(i));
                }
            }
            assertTrue(ds.locate(12).contains("part-00002") && ds.locate(12).contains("row 0 of the file"));
            assertThrows(IllegalArgumentException.class, () -> ds.read(new long[] {16}));
        }
    }

    @Test
    void rowsInShardOrderEqualTheStreamingReader() throws IOException {
        Path out = sixteenRows();
        List<ShardRow> streamed = new ArrayList<>();
        for (Path f : ShardReader.shardFiles(out)) {
            streamed.addAll(ShardReader.readAll(f, true));
        }
        long[] all = new long[16];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        // a file:// URI opens the same directory through Hadoop's local filesystem
        try (ShardDataset ds = ShardDataset.open(out.toUri().toString(), new Configuration())) {
            List<ShardRow> rows = ds.read(all);
            for (int i = 0; i < all.length; i++) {
                assertSame(streamed.get(i), rows.get(i));
            }
        }
    }

    @Test
    void aMissingShardFileIsNamed() throws IOException {
        Path out = sixteenRows();
        Path gone = out.resolve("shards/part-00001-test.snappy.parquet");
        Files.delete(gone);
        DataLoadException e =
                assertThrows(DataLoadException.class, () -> ShardDataset.open(out.toString(), new Configuration()));
        assertTrue(
                e.getMessage().contains("part-00001-test.snappy.parquet")
                        && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void aRowCountOtherThanTheManifestsIsNamed() throws IOException {
        Path out = sixteenRows();
        ObjectNode m = TestShards.readManifest(out);
        ((ObjectNode) m.withArray("shards").get(1)).put("rows", 8);
        m.put("records_written", 17);
        TestShards.writeManifest(out, m);
        DataLoadException e =
                assertThrows(DataLoadException.class, () -> ShardDataset.open(out.toString(), new Configuration()));
        assertTrue(
                e.getMessage().contains("part-00001")
                        && e.getMessage().contains("holds 7 rows")
                        && e.getMessage().contains("lists 8"),
                e.getMessage());
    }

    @Test
    void aTotalOtherThanRecordsWrittenIsNamed() throws IOException {
        Path out = sixteenRows();
        ObjectNode m = TestShards.readManifest(out);
        m.put("records_written", 20);
        TestShards.writeManifest(out, m);
        DataLoadException e =
                assertThrows(DataLoadException.class, () -> ShardDataset.open(out.toString(), new Configuration()));
        assertTrue(
                e.getMessage().contains("16 rows") && e.getMessage().contains("records_written is 20"), e.getMessage());
    }

    @Test
    void aFileWithoutAColumnOfTheSchemaIsNamed() throws IOException {
        Path out = sixteenRows();
        List<Type> kept = new ArrayList<>(TestShards.SCHEMA.getFields());
        kept.removeIf(t -> t.getName().equals("labels"));
        Path file = out.resolve("shards/part-00002-test.snappy.parquet");
        Files.delete(file);
        TestShards.writeParquet(
                file, TestShards.rows(16, FACTS).subList(12, 16), 2, new MessageType("spark_schema", kept));
        DataLoadException e =
                assertThrows(DataLoadException.class, () -> ShardDataset.open(out.toString(), new Configuration()));
        assertTrue(e.getMessage().contains("part-00002") && e.getMessage().contains("column labels"), e.getMessage());
    }

    @Test
    void filesListedOutOfOrderAreCaughtAtTheFirstRowRead() throws IOException {
        Path out = sixteenRows();
        ObjectNode m = TestShards.readManifest(out);
        // two files of equal row counts swapped: counts agree, the rows' order column does not
        var shards = m.withArray("shards");
        ObjectNode first = ((ObjectNode) shards.get(0)).deepCopy();
        ((ObjectNode) shards.get(0))
                .put("path", "shards/part-00002-test.snappy.parquet")
                .put("rows", 4);
        ((ObjectNode) shards.get(2)).setAll(first);
        ((ObjectNode) shards.get(2)).put("rows", 5);
        TestShards.writeManifest(out, m);
        try (ShardDataset ds = ShardDataset.open(out.toString(), new Configuration())) {
            DataLoadException e = assertThrows(DataLoadException.class, () -> ds.read(new long[] {0}));
            assertTrue(
                    e.getMessage().contains("row 0 (")
                            && e.getMessage().contains("part-00002")
                            && e.getMessage().contains("has order 12"),
                    e.getMessage());
        }
    }

    @Test
    void severalDirectoriesReadAsOneDatasetInTheOrderListed() throws IOException {
        List<ShardRow> first = TestShards.rows(5, FACTS);
        List<ShardRow> second = TestShards.rows(3, FACTS); // orders 0..2 again: each directory numbers its own rows
        Path a = TestShards.write(tmp.resolve("a"), first, new int[] {2, 3}, 2, FACTS);
        Path b = TestShards.write(tmp.resolve("b"), second, new int[] {3}, 2, FACTS);
        try (ShardDataset ds = ShardDataset.open(List.of(b.toString(), a.toString()), new Configuration())) {
            assertEquals(8, ds.rows());
            assertEquals(2, ds.manifests().size());
            assertTrue(
                    ds.manifests().get(0).source().contains("/b/"),
                    ds.manifests().get(0).source());
            long[] asked = {7, 0, 3, 2, 4};
            List<ShardRow> got = ds.read(asked);
            List<ShardRow> expected = new ArrayList<>(second);
            expected.addAll(first);
            for (int i = 0; i < asked.length; i++) {
                assertSame(expected.get((int) asked[i]), got.get(i));
            }
            assertTrue(ds.locate(3).contains("/a/") && ds.locate(3).contains("row 0 of the file"), ds.locate(3));
        }
    }

    @Test
    void aBrokenSecondDirectoryIsNamed() throws IOException {
        Path a = TestShards.write(tmp.resolve("a"), TestShards.rows(4, FACTS), new int[] {4}, 2, FACTS);
        Path b = TestShards.write(tmp.resolve("b"), TestShards.rows(4, FACTS), new int[] {4}, 2, FACTS);
        ObjectNode m = TestShards.readManifest(b);
        m.put("records_written", 5);
        TestShards.writeManifest(b, m);
        DataLoadException e = assertThrows(
                DataLoadException.class,
                () -> ShardDataset.open(List.of(a.toString(), b.toString()), new Configuration()));
        assertTrue(e.getMessage().contains(b.resolve("_manifest.json").toString()), e.getMessage());
    }

    @Test
    void aMissingManifestSaysWhatItExpected() {
        DataLoadException e =
                assertThrows(DataLoadException.class, () -> ShardDataset.open(tmp.toString(), new Configuration()));
        assertTrue(
                e.getMessage().contains("_manifest.json") && e.getMessage().contains("sharding job"), e.getMessage());
    }

    static void assertSame(ShardRow expected, ShardRow actual) {
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.order(), actual.order());
        assertArrayEquals(expected.inputIds(), actual.inputIds());
        assertArrayEquals(expected.labels(), actual.labels());
        assertEquals(expected.hasImage(), actual.hasImage());
        assertArrayEquals(expected.image(), actual.image());
        assertEquals(expected.imagePath(), actual.imagePath());
    }
}
