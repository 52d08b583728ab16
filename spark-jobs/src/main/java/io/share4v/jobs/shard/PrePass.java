package io.share4v.jobs.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.data.record.JsonArrayStream;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The driver's pass over the input before any executor work: every JSON file exists, its sha256 matches
 * when the manifest gives one, and its array parses to the end. In the same single read, each element is
 * re-written as one JSON line {@code {"dataset":d,"record_index":i,"record":...}} into chunk files under
 * {@code staging/records/}, and its id (when it has one) into {@code staging/ids/}.
 *
 * <p>Why staging: the inputs are single 1.2-1.5 GB JSON arrays. Spark's {@code multiLine} JSON reader
 * cannot split such a file, so it becomes one partition parsed by one task, and {@code json.load}-style
 * parsing would need the whole file in one heap. Streaming it here element by element ({@link
 * JsonArrayStream}) keeps driver memory flat, and JSON Lines chunks are split across executors, which
 * then parse, tokenize and decode in parallel.
 */
public final class PrePass {
    /** What the pass saw per dataset: records read (array elements), and the JSON's sha256. */
    public record DatasetScan(String name, Path json, long records, String sha256, int chunks) {}

    public record Result(List<DatasetScan> datasets, String recordsDir, String idsDir) {
        public long totalRecords() {
            return datasets.stream().mapToLong(DatasetScan::records).sum();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PrePass() {}

    /**
     * @param stagingDir a directory on a filesystem every executor can read (the job puts it under the output)
     * @throws IOException naming the file when one is missing, fails its checksum or does not parse to the end
     */
    public static Result run(
            List<DatasetManifest> datasets,
            Path dataRoot,
            org.apache.hadoop.fs.Path stagingDir,
            Configuration conf,
            int chunkRecords)
            throws IOException {
        // All existence checks first, so a typo in the last manifest fails in a second, not after an hour.
        List<Path> files = new ArrayList<>();
        for (DatasetManifest m : datasets) {
            files.add(m.existingJson(dataRoot));
        }
        FileSystem fs = stagingDir.getFileSystem(conf);
        org.apache.hadoop.fs.Path records = new org.apache.hadoop.fs.Path(stagingDir, "records");
        org.apache.hadoop.fs.Path ids = new org.apache.hadoop.fs.Path(stagingDir, "ids");
        fs.mkdirs(records);
        fs.mkdirs(ids);
        List<DatasetScan> scans = new ArrayList<>();
        for (int d = 0; d < datasets.size(); d++) {
            scans.add(stage(d, datasets.get(d), files.get(d), fs, records, ids, chunkRecords));
        }
        return new Result(scans, records.toString(), ids.toString());
    }

    private static DatasetScan stage(
            int d,
            DatasetManifest m,
            Path json,
            FileSystem fs,
            org.apache.hadoop.fs.Path recordsDir,
            org.apache.hadoop.fs.Path idsDir,
            int chunkRecords)
            throws IOException {
        MessageDigest sha = sha256();
        long count = 0;
        int chunk = 0;
        Writer rec = null;
        Writer idw = null;
        try (InputStream raw = Files.newInputStream(json);
                DigestInputStream in = new DigestInputStream(new BufferedInputStream(raw, 1 << 16), sha);
                JsonArrayStream elements = new JsonArrayStream(in, "dataset " + m.name() + ": " + json)) {
            for (JsonArrayStream.Element e = elements.nextOrNull(); e != null; e = elements.nextOrNull()) {
                if (count % chunkRecords == 0) {
                    close(rec, idw);
                    String name = String.format("d%05d-c%06d.jsonl", d, chunk++);
                    rec = open(fs, new org.apache.hadoop.fs.Path(recordsDir, name));
                    idw = open(fs, new org.apache.hadoop.fs.Path(idsDir, name));
                }
                ObjectNode line = MAPPER.createObjectNode();
                line.put("dataset", d);
                line.put("record_index", e.index());
                line.set("record", e.node());
                rec.write(MAPPER.writeValueAsString(line));
                rec.write('\n');
                JsonNode id = e.node().isObject() ? e.node().get("id") : null;
                if (id != null && (id.isTextual() || id.isIntegralNumber())) {
                    ObjectNode idLine = MAPPER.createObjectNode();
                    idLine.put("dataset", d);
                    idLine.put("record_index", e.index());
                    idLine.put("id", id.asText());
                    idw.write(MAPPER.writeValueAsString(idLine));
                    idw.write('\n');
                }
                count++;
            }
            // The digest covers the whole file: after the closing bracket JsonArrayStream reads on to the end of
            // the input to refuse trailing content, and the parser closes the stream at end of input.
        } finally {
            close(rec, idw);
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (m.sha256() != null && !m.sha256().equals(digest)) {
            throw new IOException("dataset " + m.name() + ": " + json + " has sha256 " + digest
                    + " but the manifest expects " + m.sha256() + " (different or corrupted file)");
        }
        return new DatasetScan(m.name(), json, count, digest, chunk);
    }

    private static Writer open(FileSystem fs, org.apache.hadoop.fs.Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(fs.create(p, false), StandardCharsets.UTF_8), 1 << 16);
    }

    private static void close(Writer... ws) throws IOException {
        for (Writer w : ws) {
            if (w != null) {
                w.close();
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
