package io.share4v.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.shard.ShardSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The facts of a sharding output's {@code _manifest.json} that training relies on: the shard files in training
 * order with their row counts, each dataset's template and aspect, the tokenizer fingerprint, and the ordering the
 * rows were written in (with the world size and per-device batch {@code group_by_modality_length} was computed for).
 *
 * @param source        the manifest file, named in every error
 * @param shards        the shard files in training order (as listed), resolved against the output directory
 * @param imageMode     {@code bytes} (image bytes in the rows) or {@code path} (rows hold a path under an image root)
 * @param imageTokens   patch positions one image expands to when the shards were written
 */
public record ShardManifest(
        String source,
        int schemaVersion,
        long recordsWritten,
        String tokenizerFingerprint,
        List<Dataset> datasets,
        List<Shard> shards,
        String ordering,
        int worldSize,
        int perDeviceBatch,
        String imageMode,
        int modelMaxLength,
        int imageTokens) {

    /** Ordering value of shards written in the reference's {@code group_by_modality_length} order. */
    public static final String GROUP_BY_MODALITY_LENGTH = "group_by_modality_length";

    public static final String IMAGE_MODE_BYTES = "bytes";
    public static final String IMAGE_MODE_PATH = "path";

    /** @param imageRoot the folder the dataset's image paths resolve against; null when the manifest does not say */
    public record Dataset(String name, String template, String aspect, String imageRoot) {}

    public record Shard(Path path, long rows) {}

    public ShardManifest {
        datasets = List.copyOf(datasets);
        shards = List.copyOf(shards);
    }

    /** Reads {@code DIR/_manifest.json} of a sharding output on any Hadoop filesystem. */
    public static ShardManifest read(Path outputDir, Configuration conf) throws IOException {
        Path file = new Path(outputDir, ShardSchema.MANIFEST_FILE);
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new DataLoadException(file + ": no shard manifest; is " + outputDir
                    + " the output directory of the sharding job (bin/share4v shard)?");
        }
        JsonNode root;
        try (InputStream in = fs.open(file)) {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new DataLoadException(file + ": not readable as JSON: " + e.getMessage(), e);
        }
        return parse(root, outputDir, file.toString());
    }

    static ShardManifest parse(JsonNode root, Path outputDir, String source) {
        Fields top = new Fields(root, source);
        int version = top.integer("schema_version");
        if (version != ShardSchema.VERSION) {
            throw new DataLoadException(
                    source + ": schema_version " + version + ", but this trainer reads shard schema v"
                            + ShardSchema.VERSION + "; re-shard the data with this version of bin/share4v shard");
        }
        List<Dataset> datasets = new ArrayList<>();
        for (JsonNode d : top.array("datasets")) {
            Fields f = new Fields(d, source + " datasets[" + datasets.size() + "]");
            datasets.add(
                    new Dataset(f.text("name"), f.text("template"), f.text("aspect"), f.optionalText("image_root")));
        }
        List<Shard> shards = new ArrayList<>();
        for (JsonNode s : top.array("shards")) {
            Fields f = new Fields(s, source + " shards[" + shards.size() + "]");
            String path = f.text("path");
            Path p = new Path(path);
            shards.add(new Shard(
                    p.isAbsolute() || p.toUri().getScheme() != null ? p : new Path(outputDir, path), f.count("rows")));
        }
        Fields config = new Fields(top.object("config"), source + " config");
        return new ShardManifest(
                source,
                version,
                top.count("records_written"),
                top.optionalText("tokenizer_fingerprint"),
                datasets,
                shards,
                config.text("ordering"),
                config.integer("world_size"),
                config.integer("per_device_batch"),
                config.text("image_mode"),
                config.integer("model_max_length"),
                config.integer("image_tokens"));
    }

    /** Rows in all shards; equals {@code records_written} once {@link ShardDataset} has checked the files. */
    public long totalRows() {
        return shards.stream().mapToLong(Shard::rows).sum();
    }

    public boolean pathMode() {
        return IMAGE_MODE_PATH.equals(imageMode);
    }

    /**
     * Fails unless every dataset was sharded with the template and aspect the run trains with and, when the run
     * names one, the same tokenizer: shards made for the other stage or another tokenizer would train silently
     * on wrong prompts, images or token ids.
     *
     * @param tokenizerFingerprint the run's tokenizer fingerprint, or null to skip that check
     */
    public void requireCompatible(String template, String aspect, String tokenizerFingerprint) {
        for (Dataset d : datasets) {
            if (!d.template().equals(template)) {
                throw new DataLoadException(source + ": dataset " + d.name() + " was sharded with template "
                        + d.template() + ", but the run trains with template " + template);
            }
            if (!d.aspect().equals(aspect)) {
                throw new DataLoadException(source + ": dataset " + d.name() + " was sharded with aspect " + d.aspect()
                        + ", but the run preprocesses images with aspect " + aspect);
            }
        }
        if (tokenizerFingerprint != null && !tokenizerFingerprint.equals(this.tokenizerFingerprint)) {
            throw new DataLoadException(source + ": shards were tokenized with tokenizer fingerprint "
                    + this.tokenizerFingerprint + ", but the run's tokenizer has fingerprint " + tokenizerFingerprint);
        }
    }

    /** Required and optional keys of one JSON object, with errors naming the file, the object and the key. */
    private record Fields(JsonNode node, String where) {
        Fields {
            if (node == null || !node.isObject()) {
                throw new DataLoadException(where + ": expected a JSON object");
            }
        }

        JsonNode required(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new DataLoadException(where + ": missing key " + key);
            }
            return v;
        }

        String text(String key) {
            JsonNode v = required(key);
            if (!v.isTextual()) {
                throw new DataLoadException(where + ": " + key + " = " + v + " is not a string");
            }
            return v.asText();
        }

        String optionalText(String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : text(key);
        }

        long count(String key) {
            JsonNode v = required(key);
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                throw new DataLoadException(where + ": " + key + " = " + v + " is not a count (integer >= 0)");
            }
            return v.asLong();
        }

        int integer(String key) {
            JsonNode v = required(key);
            if (!v.isInt()) {
                throw new DataLoadException(where + ": " + key + " = " + v + " is not a 32-bit integer");
            }
            return v.asInt();
        }

        List<JsonNode> array(String key) {
            JsonNode v = required(key);
            if (!v.isArray()) {
                throw new DataLoadException(where + ": " + key + " is not an array");
            }
            List<JsonNode> out = new ArrayList<>();
            v.forEach(out::add);
            return out;
        }

        JsonNode object(String key) {
            return required(key);
        }
    }
}
