package io.share4v.data.shard;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads shard files with plain parquet-hadoop (no Spark), one {@link ShardRow} at a time, so a training
 * worker streams its shards without holding them. Lists may be written in the standard three-level form
 * ({@code input_ids.list.element}, what Spark writes) or the legacy two-level one; both are accepted.
 *
 * <pre>{@code
 * try (ShardReader r = ShardReader.open(file, true)) {
 *     for (ShardRow row = r.next(); row != null; row = r.next()) { ... }
 * }
 * }</pre>
 */
public final class ShardReader implements Closeable {
    private final ParquetReader<Group> reader;
    private final boolean withImages;
    private final String source;

    private ShardReader(ParquetReader<Group> reader, boolean withImages, String source) {
        this.reader = reader;
        this.withImages = withImages;
        this.source = source;
    }

    /**
     * @param withImages false skips reading the image column (a projection: its pages are never read)
     */
    public static ShardReader open(Path file, boolean withImages) throws IOException {
        return open(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration(), withImages);
    }

    /** Any Hadoop filesystem (file://, hdfs://) the configuration can reach. */
    public static ShardReader open(org.apache.hadoop.fs.Path file, Configuration conf, boolean withImages)
            throws IOException {
        Configuration c = new Configuration(conf);
        if (!withImages) {
            MessageType full;
            try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(file, c))) {
                full = f.getFooter().getFileMetaData().getSchema();
            }
            List<Type> kept = new ArrayList<>();
            for (Type t : full.getFields()) {
                if (!t.getName().equals(ShardSchema.IMAGE)) {
                    kept.add(t);
                }
            }
            c.set(ReadSupport.PARQUET_READ_SCHEMA, new MessageType(full.getName(), kept).toString());
        }
        ParquetReader<Group> r =
                ParquetReader.builder(new GroupReadSupport(), file).withConf(c).build();
        return new ShardReader(r, withImages, file.toString());
    }

    /** Row count from the footer, without reading any data page. */
    public static long rowCount(org.apache.hadoop.fs.Path file, Configuration conf) throws IOException {
        try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            return f.getRecordCount();
        }
    }

    /** The shard files of a sharding output directory, in training order (file name order). */
    public static List<Path> shardFiles(Path outputDir) throws IOException {
        Path dir = outputDir.resolve(ShardSchema.SHARDS_DIR);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.parquet")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** The next row, or null at the end of the file. */
    public ShardRow next() throws IOException {
        Group g = reader.read();
        return g == null ? null : toRow(g, withImages, source);
    }

    /**
     * One Parquet record of the shard schema as a {@link ShardRow}, for readers that position themselves (random
     * access by row group); {@code source} names the file in the error when the record does not fit the schema.
     */
    public static ShardRow toRow(Group g, boolean withImages, String source) throws IOException {
        try {
            return new ShardRow(
                    string(g, ShardSchema.ID),
                    string(g, ShardSchema.DATASET),
                    g.getLong(ShardSchema.RECORD_INDEX, 0),
                    g.getLong(ShardSchema.ORDER, 0),
                    string(g, ShardSchema.TEMPLATE),
                    string(g, ShardSchema.ASPECT),
                    ints(g, ShardSchema.INPUT_IDS),
                    ints(g, ShardSchema.LABELS),
                    g.getInteger(ShardSchema.N_TOKENS, 0),
                    g.getBoolean(ShardSchema.HAS_IMAGE, 0),
                    withImages && present(g, ShardSchema.IMAGE)
                            ? g.getBinary(ShardSchema.IMAGE, 0).getBytes()
                            : null,
                    string(g, ShardSchema.IMAGE_PATH),
                    present(g, ShardSchema.WIDTH) ? g.getInteger(ShardSchema.WIDTH, 0) : null,
                    present(g, ShardSchema.HEIGHT) ? g.getInteger(ShardSchema.HEIGHT, 0) : null,
                    g.getBoolean(ShardSchema.MISMATCH, 0));
        } catch (RuntimeException e) {
            throw new IOException(source + ": row does not match shard schema v" + ShardSchema.VERSION + ": " + e, e);
        }
    }

    public static List<ShardRow> readAll(Path file, boolean withImages) throws IOException {
        List<ShardRow> rows = new ArrayList<>();
        try (ShardReader r = open(file, withImages)) {
            for (ShardRow row = r.next(); row != null; row = r.next()) {
                rows.add(row);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return rows;
    }

    private static boolean present(Group g, String field) {
        return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0;
    }

    private static String string(Group g, String field) {
        return present(g, field) ? g.getString(field, 0) : null;
    }

    private static int[] ints(Group g, String field) {
        if (!present(g, field)) {
            return null;
        }
        Group list = g.getGroup(field, 0);
        GroupType listType = list.getType();
        String repeated = listType.getFieldName(0);
        int n = list.getFieldRepetitionCount(repeated);
        int[] out = new int[n];
        boolean threeLevel = !listType.getType(0).isPrimitive();
        for (int i = 0; i < n; i++) {
            out[i] = threeLevel ? list.getGroup(repeated, i).getInteger(0, 0) : list.getInteger(repeated, i);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
