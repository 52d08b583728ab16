package io.share4v.jobs.shard;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.common.config.StrictYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one sharding run. Defaults live in {@link #defaults()}; {@code conf/shard.yaml} overrides
 * them, then {@code --set key=value} flags override that (values are YAML scalars, so {@code seed=7} is
 * an int). An unknown key or a wrong type is an error naming the key.
 *
 * <p>{@code datasets} is not a key: it is filled from {@code manifests} by {@link #load} (or given
 * directly for a one-file run).
 */
public record ShardConfig(
        List<String> manifests,
        String dataRoot,
        String tokenizerDir,
        String outputDir,
        int modelMaxLength,
        String mismatchPolicy,
        String imageMode,
        long maxImagePixels,
        int imageTokens,
        int targetShardMb,
        int rowGroupMb,
        long seed,
        String ordering,
        int worldSize,
        int perDeviceBatch,
        int partitions,
        int chunkRecords,
        boolean overwrite,
        @JsonIgnore List<DatasetManifest> datasets) {

    public static final String KEEP_IGNORED = "keep_ignored";
    public static final String REJECT = "reject";
    public static final String BYTES = "bytes";
    public static final String PATH = "path";
    public static final String SHUFFLE = "shuffle";
    public static final String GROUP_BY_MODALITY_LENGTH = "group_by_modality_length";

    public ShardConfig {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        require(modelMaxLength >= 16 && modelMaxLength <= 1 << 20, "model_max_length", modelMaxLength, "16..1048576");
        require(KEEP_IGNORED.equals(mismatchPolicy) || REJECT.equals(mismatchPolicy), "mismatch_policy",
                mismatchPolicy, KEEP_IGNORED + " or " + REJECT);
        require(BYTES.equals(imageMode) || PATH.equals(imageMode), "image_mode", imageMode, BYTES + " or " + PATH);
        require(maxImagePixels > 0, "max_image_pixels", maxImagePixels, "> 0");
        require(imageTokens >= 1 && imageTokens <= 65536, "image_tokens", imageTokens, "1..65536");
        require(targetShardMb >= 1 && targetShardMb <= 65536, "target_shard_mb", targetShardMb, "1..65536");
        require(rowGroupMb >= 1 && rowGroupMb <= 2047, "row_group_mb", rowGroupMb, "1..2047");
        require(SHUFFLE.equals(ordering) || GROUP_BY_MODALITY_LENGTH.equals(ordering), "ordering", ordering,
                SHUFFLE + " or " + GROUP_BY_MODALITY_LENGTH);
        require(worldSize >= 1 && worldSize <= 1 << 16, "world_size", worldSize, "1..65536");
        require(perDeviceBatch >= 1 && perDeviceBatch <= 1 << 16, "per_device_batch", perDeviceBatch, "1..65536");
        require(partitions >= 0, "partitions", partitions, ">= 0 (0 = one per staged chunk)");
        require(chunkRecords >= 1, "chunk_records", chunkRecords, ">= 1");
    }

    /** The defaults, as the key map {@code conf/shard.yaml} and {@code --set} override. */
    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("manifests", List.of());
        d.put("data_root", null);
        d.put("tokenizer_dir", null);
        d.put("output_dir", null);
        d.put("model_max_length", 2048);
        d.put("mismatch_policy", KEEP_IGNORED);
        d.put("image_mode", BYTES);
        // Pillow raises DecompressionBombError above 2 x 89,478,485 pixels; match its hard limit.
        d.put("max_image_pixels", 178_956_970L);
        d.put("image_tokens", 576);
        d.put("target_shard_mb", 256);
        d.put("row_group_mb", 64);
        d.put("seed", 42L);
        d.put("ordering", SHUFFLE);
        d.put("world_size", 16);
        d.put("per_device_batch", 8);
        d.put("partitions", 0);
        d.put("chunk_records", 5000);
        d.put("overwrite", false);
        return d;
    }

    /**
     * defaults <- YAML file (optional) <- {@code values} (already typed, e.g. from CLI options) <- {@code sets}
     * ("key=value" strings); then loads every manifest named by {@code manifests}.
     */
    public static ShardConfig load(Path yaml, Map<String, Object> values, List<String> sets) throws IOException {
        Map<String, Object> keys = defaults();
        if (yaml != null) {
            Map<String, Object> fromFile = StrictYaml.yamlMapper().readValue(yaml.toFile(),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
            if (fromFile != null) {
                merge(keys, fromFile, "config file " + yaml);
            }
        }
        if (values != null) {
            merge(keys, values, "option");
        }
        ObjectMapper yamlScalars = StrictYaml.yamlMapper();
        for (String s : sets == null ? List.<String>of() : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set " + s + ": expected key=value");
            }
            String value = s.substring(eq + 1);
            Object parsed = value.isEmpty() ? "" : yamlScalars.readValue(value, Object.class);
            merge(keys, Map.of(s.substring(0, eq).trim(), parsed == null ? "" : parsed), "--set");
        }
        ShardConfig cfg;
        try {
            cfg = StrictYaml.jsonMapper().convertValue(keys, ShardConfig.class);
        } catch (IllegalArgumentException e) {
            String why = e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? StrictYaml.describe(j) : e.getMessage();
            throw new IllegalArgumentException("shard config: " + why, e);
        }
        List<DatasetManifest> ds = new ArrayList<>();
        for (String m : cfg.manifests()) {
            ds.add(DatasetManifest.load(Path.of(m)));
        }
        return cfg.withDatasets(ds);
    }

    private static void merge(Map<String, Object> keys, Map<String, Object> overrides, String from) {
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            if (!keys.containsKey(e.getKey())) {
                throw new IllegalArgumentException(from + ": unknown key '" + e.getKey() + "'; known keys: "
                        + String.join(", ", keys.keySet()));
            }
            keys.put(e.getKey(), e.getValue());
        }
    }

    public ShardConfig withDatasets(List<DatasetManifest> ds) {
        return new ShardConfig(manifests, dataRoot, tokenizerDir, outputDir, modelMaxLength, mismatchPolicy,
                imageMode, maxImagePixels, imageTokens, targetShardMb, rowGroupMb, seed, ordering, worldSize,
                perDeviceBatch, partitions, chunkRecords, overwrite, ds);
    }

    /** Checks what a run needs beyond the key ranges: datasets, paths, unique dataset names. */
    public ShardConfig validatedForRun() {
        require(!datasets.isEmpty(), "manifests", manifests, "at least one dataset manifest");
        require(tokenizerDir != null && !tokenizerDir.isBlank(), "tokenizer_dir", tokenizerDir, "a tokenizer folder");
        require(outputDir != null && !outputDir.isBlank(), "output_dir", outputDir, "an output folder");
        require(datasets.stream().map(DatasetManifest::name).distinct().count() == datasets.size(), "manifests",
                datasets.stream().map(DatasetManifest::name).toList(), "datasets with distinct names");
        if (datasets.size() > 1 << 20) {
            throw new IllegalArgumentException("too many datasets: " + datasets.size());
        }
        return this;
    }

    /** The data root relative paths in manifests resolve against (the current folder when unset). */
    public Path dataRootPath() {
        return Path.of(dataRoot == null || dataRoot.isBlank() ? "." : dataRoot).toAbsolutePath().normalize();
    }

    /** Per-dataset pixel limit: the manifest's when given, else the job's. */
    public long pixelLimit(DatasetManifest m) {
        return m.maxImagePixels() != null ? m.maxImagePixels() : maxImagePixels;
    }

    /** The resolved key map, for provenance in {@code _manifest.json}. */
    public Map<String, Object> asKeys() {
        Map<String, Object> m = StrictYaml.jsonMapper().convertValue(this, new TypeReference<LinkedHashMap<String, Object>>() {});
        m.put("data_root", dataRootPath().toString());
        return m;
    }

    private static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException(key + " = " + value + " is invalid; allowed: " + allowed);
        }
    }
}
