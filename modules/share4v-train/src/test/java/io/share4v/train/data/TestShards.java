package io.share4v.train.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.data.shard.ShardRow;
import io.share4v.data.shard.ShardSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes small sharding outputs without Spark: Parquet files in the schema the sharding job writes (Spark's
 * three-level lists, nullable image columns) and a {@code _manifest.json} with the keys training reads. Public for
 * the run tests, which train on such shards.
 */
public final class TestShards {
    static final Path SAMPLE_IMAGES = Path.of("../../data-manifests/sample/images");
    static final List<String> IMAGES =
            List.of("coco/train2017/000000000009.jpg", "share_textvqa/images/page.png", "sam/images/sa_227.jpg");

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message spark_schema {
              required binary id (STRING);
              required binary dataset (STRING);
              required int64 record_index;
              required int64 order;
              required binary template (STRING);
              required binary aspect (STRING);
              required group input_ids (LIST) { repeated group list { required int32 element; } }
              required group labels (LIST) { repeated group list { required int32 element; } }
              required int32 n_tokens;
              required boolean has_image;
              optional binary image;
              optional binary image_path (STRING);
              optional int32 width;
              optional int32 height;
              required boolean mismatch;
            }""");

    /** What the manifest says besides the files; defaults are a stage-2 run (v1, pad) in bytes mode. */
    public record Facts(
            String template,
            String aspect,
            String tokenizerFingerprint,
            String ordering,
            int worldSize,
            int perDeviceBatch,
            String imageMode,
            int modelMaxLength) {
        public static Facts stage2() {
            return new Facts("v1", "pad", "tok-1", "group_by_modality_length", 2, 2, "bytes", 2048);
        }
    }

    private TestShards() {}

    /**
     * {@code n} rows of dataset {@code sample} in order 0..n-1: every third row has an image (the sample's images
     * in turn), the others are text-only; ids are {@code r<i>}, token ids depend on i so rows tell apart.
     */
    public static List<ShardRow> rows(int n, Facts facts) throws IOException {
        List<ShardRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean image = i % 3 == 0;
            int len = 3 + i % 5;
            int[] ids = new int[len];
            int[] labels = new int[len];
            for (int t = 0; t < len; t++) {
                ids[t] = 1000 + 10 * i + t;
                labels[t] = t < 2 ? Tokens.IGNORE_INDEX : ids[t];
            }
            ids[0] = 1;
            if (image) {
                ids[1] = Tokens.IMAGE_TOKEN_INDEX;
            }
            String path = image ? IMAGES.get(i / 3 % IMAGES.size()) : null;
            byte[] bytes =
                    image && facts.imageMode().equals("bytes") ? Files.readAllBytes(SAMPLE_IMAGES.resolve(path)) : null;
            rows.add(new ShardRow(
                    "r" + i,
                    "sample",
                    i,
                    i,
                    facts.template(),
                    facts.aspect(),
                    ids,
                    labels,
                    len + (image ? 575 : 0),
                    image,
                    bytes,
                    path,
                    image ? 10 : null,
                    image ? 10 : null,
                    false));
        }
        return rows;
    }

    /** Writes {@code rows} into files of {@code fileRows[k]} rows each, row groups of at most {@code groupRows}. */
    public static Path write(Path dir, List<ShardRow> rows, int[] fileRows, int groupRows, Facts facts)
            throws IOException {
        Files.createDirectories(dir.resolve(ShardSchema.SHARDS_DIR));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("schema_version", ShardSchema.VERSION);
        root.put("records_written", rows.size());
        root.put("tokenizer_fingerprint", facts.tokenizerFingerprint());
        ObjectNode ds = root.putArray("datasets").addObject();
        ds.put("name", "sample");
        ds.put("template", facts.template());
        ds.put("aspect", facts.aspect());
        ds.put("image_root", SAMPLE_IMAGES.toAbsolutePath().normalize().toString());
        ObjectNode config = root.putObject("config");
        config.put("ordering", facts.ordering());
        config.put("world_size", facts.worldSize());
        config.put("per_device_batch", facts.perDeviceBatch());
        config.put("image_mode", facts.imageMode());
        config.put("model_max_length", facts.modelMaxLength());
        config.put("image_tokens", 576);
        ArrayNode shards = root.putArray("shards");
        int next = 0;
        for (int f = 0; f < fileRows.length; f++) {
            String name = String.format("%s/part-%05d-test.snappy.parquet", ShardSchema.SHARDS_DIR, f);
            writeParquet(dir.resolve(name), rows.subList(next, next + fileRows[f]), groupRows);
            next += fileRows[f];
            ObjectNode s = shards.addObject();
            s.put("path", name);
            s.put("rows", fileRows[f]);
            s.put("bytes", Files.size(dir.resolve(name)));
        }
        writeManifest(dir, root);
        return dir;
    }

    static void writeManifest(Path dir, ObjectNode root) throws IOException {
        Files.write(dir.resolve(ShardSchema.MANIFEST_FILE), new ObjectMapper().writeValueAsBytes(root));
    }

    static ObjectNode readManifest(Path dir) throws IOException {
        return (ObjectNode) new ObjectMapper()
                .readTree(dir.resolve(ShardSchema.MANIFEST_FILE).toFile());
    }

    static void writeParquet(Path file, List<ShardRow> rows, int groupRows) throws IOException {
        writeParquet(file, rows, groupRows, SCHEMA);
    }

    /** {@code schema} may leave out columns (to test a schema mismatch); their values are then not written. */
    static void writeParquet(Path file, List<ShardRow> rows, int groupRows, MessageType schema) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration())
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupRowCountLimit(groupRows)
                .build()) {
            for (ShardRow r : rows) {
                Group g = groups.newGroup();
                put(g, ShardSchema.ID, r.id());
                put(g, ShardSchema.DATASET, r.dataset());
                g.add(ShardSchema.RECORD_INDEX, r.recordIndex());
                g.add(ShardSchema.ORDER, r.order());
                put(g, ShardSchema.TEMPLATE, r.template());
                put(g, ShardSchema.ASPECT, r.aspect());
                list(g, ShardSchema.INPUT_IDS, r.inputIds());
                list(g, ShardSchema.LABELS, r.labels());
                g.add(ShardSchema.N_TOKENS, r.nTokens());
                g.add(ShardSchema.HAS_IMAGE, r.hasImage());
                if (r.image() != null) {
                    g.add(ShardSchema.IMAGE, org.apache.parquet.io.api.Binary.fromConstantByteArray(r.image()));
                }
                put(g, ShardSchema.IMAGE_PATH, r.imagePath());
                if (r.width() != null) {
                    g.add(ShardSchema.WIDTH, r.width());
                    g.add(ShardSchema.HEIGHT, r.height());
                }
                g.add(ShardSchema.MISMATCH, r.mismatch());
                w.write(g);
            }
        }
    }

    private static void put(Group g, String field, String value) {
        if (value != null && g.getType().containsField(field)) {
            g.add(field, value);
        }
    }

    private static void list(Group g, String field, int[] values) {
        if (!g.getType().containsField(field)) {
            return;
        }
        Group list = g.addGroup(field);
        for (int v : values) {
            list.addGroup("list").add("element", v);
        }
    }
}
