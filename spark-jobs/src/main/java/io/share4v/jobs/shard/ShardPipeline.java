package io.share4v.jobs.shard;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.data.order.ModalityLengthGrouping;
import io.share4v.data.order.Permutations;
import io.share4v.data.shard.ShardReader;
import io.share4v.data.shard.ShardSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The sharding job body (see the package doc). Steps: prepare the output; driver pre-pass (validate and
 * stage every JSON, {@link PrePass}); find duplicate ids; process records on executors
 * ({@link RecordProcessor}); tally outcomes; fix the global order on the driver from (key, length) pairs;
 * write shards in order and the rejects ledger; check the counts and write {@code _manifest.json}.
 */
public final class ShardPipeline {
    private ShardPipeline() {}

    public static ShardResult run(SparkSession spark, ShardConfig config) throws IOException {
        ShardConfig cfg = config.validatedForRun();
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hconf = jsc.hadoopConfiguration();
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(cfg.outputDir());
        FileSystem fs = out.getFileSystem(hconf);
        prepareOutput(fs, out, cfg.overwrite());
        Path dataRoot = cfg.dataRootPath();
        Path tokenizerDir = Path.of(cfg.tokenizerDir()).toAbsolutePath().normalize();
        if (!tokenizerDir.resolve("tokenizer.model").toFile().isFile()) {
            throw new IOException("tokenizer_dir " + tokenizerDir + " has no tokenizer.model");
        }
        // Loaded once on the driver too: a bad tokenizer folder fails here, before any work, and names itself.
        String fingerprint = RecordProcessor.tokenizer(tokenizerDir.toString()).fingerprint();

        org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(out, "_staging");
        try {
            PrePass.Result scan = PrePass.run(cfg.datasets(), dataRoot, staging, hconf, cfg.chunkRecords());
            long tScan = System.nanoTime();
            ShardResult result =
                    process(spark, jsc, cfg, scan, dataRoot, tokenizerDir, fs, out, fingerprint, t0, tScan);
            return result;
        } finally {
            fs.delete(staging, true);
        }
    }

    private static ShardResult process(
            SparkSession spark,
            JavaSparkContext jsc,
            ShardConfig cfg,
            PrePass.Result scan,
            Path dataRoot,
            Path tokenizerDir,
            FileSystem fs,
            org.apache.hadoop.fs.Path out,
            String fingerprint,
            long t0,
            long tScan)
            throws IOException {
        List<DatasetManifest> datasets = cfg.datasets();
        long[] duplicates = duplicateKeys(spark, scan.idsDir());
        Broadcast<long[]> dupB = jsc.broadcast(duplicates);

        List<RecordProcessor.DatasetSpec> specs = new ArrayList<>();
        for (DatasetManifest m : datasets) {
            specs.add(new RecordProcessor.DatasetSpec(
                    m.name(),
                    m.imageRootPath(dataRoot).toString(),
                    m.template(),
                    m.aspect().configName(),
                    cfg.pixelLimit(m)));
        }
        RecordProcessor processor = new RecordProcessor(
                specs,
                tokenizerDir.toString(),
                cfg.modelMaxLength(),
                cfg.mismatchPolicy(),
                cfg.imageMode(),
                cfg.imageTokens());
        JavaRDD<String> lines = jsc.textFile(scan.recordsDir());
        if (cfg.partitions() > 0) {
            lines = lines.repartition(cfg.partitions());
        }
        JavaRDD<ProcessedRecord> processed = lines.mapPartitions(it -> processor.processAll(it, dupB.value()));
        // Processing (tokenizing, decoding every image) is the expensive part; it is needed for the tallies,
        // the order and the write, so it runs once and is kept serialized, spilling to disk.
        processed.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            Tally tally = Tally.of(
                    processed.flatMapToPair(Tally::pairs).reduceByKey(Long::sum).collectAsMap(), datasets.size());
            long tProcess = System.nanoTime();

            long[] packed = collectOrderKeys(processed);
            int n = packed.length / 2;
            long[] keys = new long[n];
            int[] lengths = new int[n];
            sortPairs(packed, keys, lengths);
            int[] orderOf = order(lengths, cfg);
            Broadcast<long[]> keysB = jsc.broadcast(keys);
            Broadcast<int[]> orderB = jsc.broadcast(orderOf);

            long written = tally.written();
            long bytes = tally.totalBytes();
            long target = (long) cfg.targetShardMb() << 20;
            int shards = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (bytes + target - 1) / target));
            long rowsPerShard = Math.max(1, (written + shards - 1) / Math.max(1, shards));
            shards = (int) Math.max(1, (written + rowsPerShard - 1) / rowsPerShard);

            org.apache.hadoop.fs.Path shardsDir = new org.apache.hadoop.fs.Path(out, ShardSchema.SHARDS_DIR);
            if (written > 0) {
                String[] names = datasets.stream().map(DatasetManifest::name).toArray(String[]::new);
                String[] templates =
                        datasets.stream().map(DatasetManifest::template).toArray(String[]::new);
                String[] aspects =
                        datasets.stream().map(m -> m.aspect().configName()).toArray(String[]::new);
                JavaPairRDD<Long, ProcessedRecord> byOrder = processed
                        .filter(ProcessedRecord::written)
                        .mapToPair(r ->
                                new Tuple2<>((long) orderB.value()[Arrays.binarySearch(keysB.value(), r.key())], r))
                        .repartitionAndSortWithinPartitions(new ShardPartitioner(shards, rowsPerShard));
                JavaRDD<Row> rows = byOrder.map(t -> ShardRows.toRow(t._1(), t._2(), names, templates, aspects));
                spark.createDataFrame(rows, ShardRows.SCHEMA)
                        .write()
                        .option("compression", "snappy")
                        .option("parquet.block.size", (long) cfg.rowGroupMb() << 20)
                        .parquet(shardsDir.toString());
            }
            String[] names = datasets.stream().map(DatasetManifest::name).toArray(String[]::new);
            JavaRDD<Row> rejects = processed.filter(r -> !r.written()).map(r -> ShardRows.toRejectRow(r, names));
            spark.createDataFrame(rejects, ShardRows.REJECT_SCHEMA)
                    .repartition(1)
                    .sortWithinPartitions("dataset_index", "record_index")
                    .drop("dataset_index")
                    // Keep "id": null for records without an id: every ledger line has the same keys.
                    .write()
                    .option("ignoreNullFields", "false")
                    .json(new org.apache.hadoop.fs.Path(out, ShardSchema.REJECTS_DIR).toString());
            long tWrite = System.nanoTime();

            List<ShardResult.ShardFile> files = listShards(fs, shardsDir, jsc.hadoopConfiguration());
            ShardResult result =
                    ShardResult.build(cfg, scan, tally, files, fingerprint, duplicates.length, new double[] {
                        (tScan - t0) / 1e9, (tProcess - tScan) / 1e9, (tWrite - tProcess) / 1e9
                    });
            result.check();
            ObjectNode json = result.manifestJson();
            try (var os = fs.create(new org.apache.hadoop.fs.Path(out, ShardSchema.MANIFEST_FILE), true)) {
                os.write(ShardResult.PRETTY.writeValueAsBytes(json));
            }
            return result;
        } finally {
            processed.unpersist(false);
            dupB.destroy();
        }
    }

    private static void prepareOutput(FileSystem fs, org.apache.hadoop.fs.Path out, boolean overwrite)
            throws IOException {
        if (fs.exists(out)) {
            FileStatus st = fs.getFileStatus(out);
            if (!st.isDirectory()) {
                throw new IOException("output_dir " + out + " exists and is not a directory");
            }
            if (fs.listStatus(out).length > 0) {
                if (!overwrite) {
                    throw new IOException("output_dir " + out + " is not empty; pass --overwrite (overwrite: true)"
                            + " to replace it");
                }
                // Overwrite replaces a previous sharding output only, never an arbitrary folder given by mistake.
                boolean previousOutput = fs.exists(new org.apache.hadoop.fs.Path(out, ShardSchema.MANIFEST_FILE))
                        || fs.exists(new org.apache.hadoop.fs.Path(out, ShardSchema.SHARDS_DIR))
                        || fs.exists(new org.apache.hadoop.fs.Path(out, "_staging"));
                if (!previousOutput) {
                    throw new IOException("output_dir " + out + " is not empty and does not hold a previous sharding"
                            + " output (no _manifest.json, shards/ or _staging/); refusing to delete it");
                }
                fs.delete(out, true);
            }
        }
        fs.mkdirs(out);
    }

    /** Keys of records whose (dataset, id) appeared at a lower record index: all but the first are duplicates. */
    private static long[] duplicateKeys(SparkSession spark, String idsDir) {
        Dataset<Row> ids =
                spark.read().schema("dataset INT, record_index LONG, id STRING").json(idsDir);
        List<Row> dups = ids.withColumn(
                        "rn",
                        row_number()
                                .over(Window.partitionBy(col("dataset"), col("id"))
                                        .orderBy(col("record_index"))))
                .filter(col("rn").gt(1))
                .select("dataset", "record_index")
                .collectAsList();
        long[] keys = new long[dups.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ProcessedRecord.key(dups.get(i).getInt(0), dups.get(i).getLong(1));
        }
        Arrays.sort(keys);
        return keys;
    }

    /** (key, signed modality length) of every written row, packed two longs per row, one array per partition. */
    private static long[] collectOrderKeys(JavaRDD<ProcessedRecord> processed) {
        List<long[]> parts = processed
                .mapPartitions(it -> {
                    long[] buf = new long[64];
                    int n = 0;
                    while (it.hasNext()) {
                        ProcessedRecord r = it.next();
                        if (!r.written()) {
                            continue;
                        }
                        if (n + 2 > buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 2);
                        }
                        buf[n++] = r.key();
                        buf[n++] = r.modalityLength;
                    }
                    return List.of(Arrays.copyOf(buf, n)).iterator();
                })
                .collect();
        int total = parts.stream().mapToInt(a -> a.length).sum();
        long[] all = new long[total];
        int pos = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        return all;
    }

    /** Sorts the packed pairs by key so the order depends only on the data and the seed, not on partitioning. */
    static void sortPairs(long[] packed, long[] keys, int[] lengths) {
        int n = keys.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(packed[2 * a], packed[2 * b]));
        for (int i = 0; i < n; i++) {
            keys[i] = packed[2 * idx[i]];
            lengths[i] = (int) packed[2 * idx[i] + 1];
        }
    }

    /** @return orderOf[i] = global position of the i-th row in key order */
    static int[] order(int[] lengths, ShardConfig cfg) {
        int n = lengths.length;
        int[] sequence = cfg.ordering() == Ordering.GROUP_BY_MODALITY_LENGTH
                ? ModalityLengthGrouping.order(lengths, cfg.worldSize(), cfg.perDeviceBatch(), cfg.seed())
                : Permutations.random(n, cfg.seed());
        int[] orderOf = new int[n];
        for (int pos = 0; pos < n; pos++) {
            orderOf[sequence[pos]] = pos;
        }
        return orderOf;
    }

    private static List<ShardResult.ShardFile> listShards(
            FileSystem fs, org.apache.hadoop.fs.Path dir, Configuration conf) throws IOException {
        List<ShardResult.ShardFile> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        TreeMap<String, FileStatus> sorted = new TreeMap<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.getPath().getName().endsWith(".parquet")) {
                sorted.put(st.getPath().getName(), st);
            }
        }
        for (Map.Entry<String, FileStatus> e : sorted.entrySet()) {
            files.add(new ShardResult.ShardFile(
                    ShardSchema.SHARDS_DIR + "/" + e.getKey(),
                    ShardReader.rowCount(e.getValue().getPath(), conf),
                    e.getValue().getLen()));
        }
        return files;
    }
}
