package io.share4v.train.data;

import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardRow;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * An open shard file read forward by row index: a request jumps straight to the row group holding the row (the
 * groups before it are never read) and continues within the current group when the row lies ahead, so reading
 * ascending rows decodes each needed row group once. Not thread-safe.
 */
final class ShardFileCursor implements Closeable {
    private final String name;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    /** First file-local row of each row group, plus the file's row count. */
    private final long[] groupStarts;

    private int group = -1;
    private RecordReader<Group> records;
    private long nextInGroup;

    ShardFileCursor(org.apache.hadoop.fs.Path file, ParquetMetadata footer, Configuration conf) throws IOException {
        this.name = file.toString();
        InputFile in = HadoopInputFile.fromPath(file, conf);
        this.reader = ParquetFileReader.open(
                in, footer, HadoopReadOptions.builder(conf).build(), in.newStream());
        this.schema = footer.getFileMetaData().getSchema();
        this.columnIO = new ColumnIOFactory().getColumnIO(schema);
        this.groupStarts = groupStarts(footer);
    }

    static long[] groupStarts(ParquetMetadata footer) {
        long[] starts = new long[footer.getBlocks().size() + 1];
        int i = 0;
        for (BlockMetaData b : footer.getBlocks()) {
            starts[i + 1] = starts[i] + b.getRowCount();
            i++;
        }
        return starts;
    }

    /** The row at file-local index {@code row} (0-based). */
    ShardRow read(long row) throws IOException {
        int g = groupOf(row);
        long inGroup = row - groupStarts[g];
        if (g != group || inGroup < nextInGroup) {
            PageReadStore pages = reader.readRowGroup(g);
            records = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
            group = g;
            nextInGroup = 0;
        }
        for (; nextInGroup < inGroup; nextInGroup++) {
            records.read();
        }
        nextInGroup++;
        return ShardReader.toRow(records.read(), true, name);
    }

    private int groupOf(long row) {
        int i = Arrays.binarySearch(groupStarts, row);
        i = i >= 0 ? i : -i - 2;
        while (groupStarts[i + 1] <= row) { // step over empty row groups starting at the same row
            i++;
        }
        return i;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
