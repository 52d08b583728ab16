package io.share4v.train.data;

import io.share4v.data.shard.ShardRow;
import io.share4v.data.shard.ShardSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * One or more sharding outputs opened for training as one dataset: their rows numbered in the order listed (every
 * row of the first directory, then of the second, ...), each directory's rows in shard order (the files as its
 * {@code _manifest.json} lists them, rows in file order; a directory's row {@code i} is its sample with {@code
 * order = i}), and read by global index.
 *
 * <p>Opening checks every file against its manifest before any training step: the file exists, its footer row
 * count equals the manifest's, it has every column of the shard schema, and each directory's files add up to its
 * {@code records_written}. Footers are read once and kept; up to {@code maxOpenFiles} files stay open with a forward
 * cursor each (see {@link ShardFileCursor}), so consecutive micro-batches continue where the last one stopped.
 * {@link #read} is synchronized: one thread reads, others may decode what it read.
 */
public final class ShardDataset implements AutoCloseable {
    /** One shard file of the dataset: where it is, its footer, and the global index of its directory's first row. */
    private record ShardFile(Path path, long rows, ParquetMetadata footer, long directoryStart) {}

    private final List<ShardManifest> manifests;
    private final Configuration conf;
    private final List<ShardFile> files;
    /** Global index of each file's first row, plus the total. */
    private final long[] fileStarts;

    private final Map<Integer, ShardFileCursor> open;

    private ShardDataset(List<ShardManifest> manifests, Configuration conf, List<ShardFile> files, int maxOpenFiles) {
        this.manifests = List.copyOf(manifests);
        this.conf = conf;
        this.files = List.copyOf(files);
        this.fileStarts = new long[files.size() + 1];
        for (int i = 0; i < files.size(); i++) {
            fileStarts[i + 1] = fileStarts[i] + files.get(i).rows();
        }
        this.open = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, ShardFileCursor> eldest) {
                if (size() <= maxOpenFiles) {
                    return false;
                }
                closeQuietly(eldest.getValue());
                return true;
            }
        };
    }

    /** Opens a sharding output directory: a local path or any Hadoop filesystem URI ({@code file://}, {@code hdfs://}). */
    public static ShardDataset open(String outputDir, Configuration conf) throws IOException {
        return open(List.of(outputDir), conf);
    }

    /** Opens sharding output directories as one dataset, their rows in the order listed. */
    public static ShardDataset open(List<String> outputDirs, Configuration conf) throws IOException {
        return open(outputDirs.stream().map(Path::new).toList(), conf, 4);
    }

    /** @param maxOpenFiles shard files kept open at once (each holds a stream and a decoded row group) */
    public static ShardDataset open(List<Path> outputDirs, Configuration conf, int maxOpenFiles) throws IOException {
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("maxOpenFiles = " + maxOpenFiles + " must be >= 1");
        }
        if (outputDirs.isEmpty()) {
            throw new IllegalArgumentException("no shard directory to open");
        }
        List<ShardManifest> manifests = new ArrayList<>();
        List<ShardFile> files = new ArrayList<>();
        long directoryStart = 0;
        for (Path dir : outputDirs) {
            ShardManifest manifest = ShardManifest.read(dir, conf);
            for (ShardManifest.Shard shard : manifest.shards()) {
                files.add(new ShardFile(shard.path(), shard.rows(), checkedFooter(shard, conf), directoryStart));
            }
            if (manifest.totalRows() != manifest.recordsWritten()) {
                throw new DataLoadException(manifest.source() + ": the listed shards hold " + manifest.totalRows()
                        + " rows but records_written is " + manifest.recordsWritten());
            }
            manifests.add(manifest);
            directoryStart += manifest.totalRows();
        }
        return new ShardDataset(manifests, conf, files, maxOpenFiles);
    }

    private static ParquetMetadata checkedFooter(ShardManifest.Shard shard, Configuration conf) throws IOException {
        Path file = shard.path();
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new DataLoadException(file + ": shard file listed in " + ShardSchema.MANIFEST_FILE + " is missing");
        }
        ParquetMetadata footer;
        try (ParquetFileReader r = ParquetFileReader.open(
                HadoopInputFile.fromPath(file, conf),
                HadoopReadOptions.builder(conf).build())) {
            footer = r.getFooter();
        } catch (IOException | RuntimeException e) {
            throw new DataLoadException(file + ": not a readable Parquet file: " + e.getMessage(), e);
        }
        long rows = footer.getBlocks().stream().mapToLong(b -> b.getRowCount()).sum();
        if (rows != shard.rows()) {
            throw new DataLoadException(
                    file + ": holds " + rows + " rows but " + ShardSchema.MANIFEST_FILE + " lists " + shard.rows());
        }
        MessageType schema = footer.getFileMetaData().getSchema();
        for (String column : ShardSchema.COLUMNS) {
            if (!schema.containsField(column)) {
                throw new DataLoadException(
                        file + ": column " + column + " of shard schema v" + ShardSchema.VERSION + " is missing");
            }
        }
        return footer;
    }

    /** The manifests of the directories, in the order their rows are numbered. */
    public List<ShardManifest> manifests() {
        return manifests;
    }

    /** Rows in the whole dataset. */
    public long rows() {
        return fileStarts[fileStarts.length - 1];
    }

    /**
     * The rows at the given global indices, in the order asked (an index may repeat). Rows are read in ascending
     * order whatever the order asked, so each row group is decoded at most once per call.
     */
    public synchronized List<ShardRow> read(long[] globalRows) throws IOException {
        Integer[] byRow = new Integer[globalRows.length];
        for (int i = 0; i < byRow.length; i++) {
            long r = globalRows[i];
            if (r < 0 || r >= rows()) {
                throw new IllegalArgumentException("row " + r + " is outside the dataset's " + rows() + " rows");
            }
            byRow[i] = i;
        }
        Arrays.sort(byRow, Comparator.comparingLong(i -> globalRows[i]));
        ShardRow[] out = new ShardRow[globalRows.length];
        for (int k = 0; k < byRow.length; k++) {
            int i = byRow[k];
            out[i] = k > 0 && globalRows[byRow[k - 1]] == globalRows[i] ? out[byRow[k - 1]] : readOne(globalRows[i]);
        }
        return List.of(out);
    }

    private ShardRow readOne(long global) throws IOException {
        int f = fileOf(global);
        long local = global - fileStarts[f];
        ShardFileCursor cursor = open.get(f);
        if (cursor == null) {
            cursor = new ShardFileCursor(files.get(f).path(), files.get(f).footer(), conf);
            open.put(f, cursor);
        }
        ShardRow row = cursor.read(local);
        long expected = global - files.get(f).directoryStart();
        if (row.order() != expected) {
            throw new DataLoadException(locate(global) + " (id " + row.id() + ") has order " + row.order()
                    + ", expected " + expected + ": the shard files are not the ones " + ShardSchema.MANIFEST_FILE
                    + " lists, or not in its order");
        }
        return row;
    }

    /** Where a global row lives, for error messages: "row 17 (file F, row 3 of the file)". */
    public String locate(long global) {
        int f = fileOf(global);
        return "row " + global + " (" + files.get(f).path() + ", row " + (global - fileStarts[f]) + " of the file)";
    }

    private int fileOf(long global) {
        int i = Arrays.binarySearch(fileStarts, global);
        i = i >= 0 ? i : -i - 2;
        while (fileStarts[i + 1] <= global) { // step over empty files starting at the same row
            i++;
        }
        return i;
    }

    @Override
    public synchronized void close() {
        open.values().forEach(ShardDataset::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(ShardFileCursor c) {
        try {
            c.close();
        } catch (IOException e) {
            // a read-only stream that fails to close has nothing left to lose; the next open reports real problems
        }
    }
}
