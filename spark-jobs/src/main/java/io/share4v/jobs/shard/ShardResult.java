package io.share4v.jobs.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.common.GitCommit;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.data.shard.ShardSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a sharding run produced: counts per dataset, shard files, provenance. Becomes {@code _manifest.json}
 * and the printed summary; {@link #check()} enforces that every record read is either written or rejected.
 */
public final class ShardResult {
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record ShardFile(String path, long rows, long bytes) {}

    /** Counts of one dataset. {@code read} comes from the driver's pre-pass, the rest from executors. */
    public record DatasetCounts(
            String name,
            String json,
            String sha256,
            long read,
            long written,
            long rejected,
            long mismatchesKept,
            Map<String, Long> rejectsByReason,
            Long expectedCount,
            boolean expectedCountExact,
            String template,
            String aspect) {}

    private final ShardConfig config;
    private final List<DatasetCounts> datasets;
    private final List<ShardFile> shards;
    private final String tokenizerFingerprint;
    private final long duplicateIds;
    private final double[] seconds;

    private ShardResult(
            ShardConfig config,
            List<DatasetCounts> datasets,
            List<ShardFile> shards,
            String tokenizerFingerprint,
            long duplicateIds,
            double[] seconds) {
        this.config = config;
        this.datasets = datasets;
        this.shards = shards;
        this.tokenizerFingerprint = tokenizerFingerprint;
        this.duplicateIds = duplicateIds;
        this.seconds = seconds;
    }

    static ShardResult build(
            ShardConfig cfg,
            PrePass.Result scan,
            Tally tally,
            List<ShardFile> shards,
            String fingerprint,
            long duplicateIds,
            double[] seconds) {
        List<DatasetCounts> counts = new ArrayList<>();
        for (int d = 0; d < cfg.datasets().size(); d++) {
            DatasetManifest m = cfg.datasets().get(d);
            PrePass.DatasetScan s = scan.datasets().get(d);
            Tally.PerDataset t = tally.dataset(d);
            counts.add(new DatasetCounts(
                    m.name(),
                    s.json().toString(),
                    s.sha256(),
                    s.records(),
                    t.written(),
                    t.rejected(),
                    t.mismatchesKept(),
                    t.rejects(),
                    m.expectedCount(),
                    m.expectedCountExact(),
                    m.template(),
                    m.aspect().configName()));
        }
        return new ShardResult(cfg, counts, shards, fingerprint, duplicateIds, seconds);
    }

    public long recordsRead() {
        return datasets.stream().mapToLong(DatasetCounts::read).sum();
    }

    public long recordsWritten() {
        return datasets.stream().mapToLong(DatasetCounts::written).sum();
    }

    public long recordsRejected() {
        return datasets.stream().mapToLong(DatasetCounts::rejected).sum();
    }

    public List<DatasetCounts> datasets() {
        return datasets;
    }

    public List<ShardFile> shards() {
        return shards;
    }

    public String tokenizerFingerprint() {
        return tokenizerFingerprint;
    }

    /** @throws IllegalStateException when a record was lost or counted twice anywhere in the job */
    void check() {
        for (DatasetCounts c : datasets) {
            if (c.written() + c.rejected() != c.read()) {
                throw new IllegalStateException("dataset " + c.name() + ": read " + c.read() + " records but wrote "
                        + c.written() + " and rejected " + c.rejected() + "; written + rejected must equal read");
            }
        }
        long inShards = shards.stream().mapToLong(ShardFile::rows).sum();
        if (inShards != recordsWritten()) {
            throw new IllegalStateException(
                    "shards hold " + inShards + " rows but " + recordsWritten() + " records were written");
        }
    }

    /** Datasets whose count differs from an exact expected count (a different file version, most likely). */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        for (DatasetCounts c : datasets) {
            if (c.expectedCount() != null && c.expectedCountExact() && c.expectedCount() != c.read()) {
                w.add("dataset " + c.name() + ": read " + c.read() + " records, manifest expects exactly "
                        + c.expectedCount());
            }
        }
        return w;
    }

    ObjectNode manifestJson() {
        ObjectNode root = PRETTY.createObjectNode();
        root.put("schema_version", ShardSchema.VERSION);
        root.put("created", Instant.now().toString());
        root.put("records_read", recordsRead());
        root.put("records_written", recordsWritten());
        root.put("records_rejected", recordsRejected());
        root.put("duplicate_ids", duplicateIds);
        root.put("tokenizer_fingerprint", tokenizerFingerprint);
        root.put("git_commit", gitCommit());
        root.put("columns", String.join(",", ShardSchema.COLUMNS));
        ArrayNode ds = root.putArray("datasets");
        for (int d = 0; d < datasets.size(); d++) {
            DatasetCounts c = datasets.get(d);
            ObjectNode o = ds.addObject();
            o.put("name", c.name());
            o.put("json", c.json());
            // where training resolves image_path in path mode (build() made one count per configured dataset)
            o.put(
                    "image_root",
                    config.datasets()
                            .get(d)
                            .imageRootPath(config.dataRootPath())
                            .toString());
            o.put("sha256", c.sha256());
            o.put("template", c.template());
            o.put("aspect", c.aspect());
            o.put("read", c.read());
            o.put("written", c.written());
            o.put("rejected", c.rejected());
            o.put("mismatches_kept", c.mismatchesKept());
            ObjectNode reasons = o.putObject("rejects_by_reason");
            c.rejectsByReason().forEach(reasons::put);
            if (c.expectedCount() == null) {
                o.putNull("expected_count");
            } else {
                o.put("expected_count", c.expectedCount());
            }
            o.put("expected_count_exact", c.expectedCountExact());
        }
        root.set("config", PRETTY.valueToTree(config.asKeys()));
        ArrayNode sh = root.putArray("shards");
        for (ShardFile f : shards) {
            ObjectNode o = sh.addObject();
            o.put("path", f.path());
            o.put("rows", f.rows());
            o.put("bytes", f.bytes());
        }
        ObjectNode t = root.putObject("seconds");
        t.put("pre_pass", seconds[0]);
        t.put("process", seconds[1]);
        t.put("order_and_write", seconds[2]);
        ArrayNode w = root.putArray("warnings");
        warnings().forEach(w::add);
        return root;
    }

    /** One screen: totals, per-dataset counts and reject reasons, shards. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "share4v shard: %d read, %d written, %d rejected -> %s%n",
                recordsRead(),
                recordsWritten(),
                recordsRejected(),
                config.outputDir()));
        for (DatasetCounts c : datasets) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-24s %-5s %-6s read %9d  written %9d  rejected %7d  mismatch-kept %d%n",
                    c.name(),
                    c.template(),
                    c.aspect(),
                    c.read(),
                    c.written(),
                    c.rejected(),
                    c.mismatchesKept()));
            c.rejectsByReason().forEach((r, n) -> b.append(String.format(Locale.ROOT, "      %-26s %7d%n", r, n)));
        }
        long bytes = shards.stream().mapToLong(ShardFile::bytes).sum();
        b.append(String.format(
                Locale.ROOT,
                "  %d shard(s), %.1f MB, order %s (seed %d), images as %s; ledger: rejects/%n",
                shards.size(),
                bytes / 1e6,
                config.ordering().configName(),
                config.seed(),
                config.imageMode().configName()));
        b.append(String.format(
                Locale.ROOT,
                "  time: pre-pass %.1f s, process %.1f s, order+write %.1f s%n",
                seconds[0],
                seconds[1],
                seconds[2]));
        for (String w : warnings()) {
            b.append("  WARNING: ").append(w).append('\n');
        }
        return b.toString();
    }

    /** The commit of the running code ({@link GitCommit}); null when unknown. */
    static String gitCommit() {
        return GitCommit.current();
    }
}
