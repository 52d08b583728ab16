package io.share4v.jobs.shard;

import static io.share4v.common.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.share4v.common.config.ConfigName;
import io.share4v.common.config.LayeredConfig;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.data.text.MismatchPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one sharding run. Defaults live in {@link #defaults()}; {@code conf/shard.yaml} overrides
 * them, then command-line options, then {@code --set key=value} flags (values are YAML scalars, so
 * {@code seed=7} is an int), as {@link LayeredConfig} resolves every job config. An unknown key, a wrong
 * type or a misspelt enum value is an error naming the key.
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
        MismatchPolicy mismatchPolicy,
        ImageMode imageMode,
        long maxImagePixels,
        int imageTokens,
        int targetShardMb,
        int rowGroupMb,
        long seed,
        Ordering ordering,
        int worldSize,
        int perDeviceBatch,
        int partitions,
        int chunkRecords,
        boolean overwrite,
        @JsonIgnore List<DatasetManifest> datasets) {

    private static final LayeredConfig<ShardConfig> LAYERS =
            new LayeredConfig<>("shard config", ShardConfig.class, ShardConfig::defaults);

    public ShardConfig {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        require(modelMaxLength >= 16 && modelMaxLength <= 1 << 20, "model_max_length", modelMaxLength, "16..1048576");
        ConfigName.requirePresent(mismatchPolicy, MismatchPolicy.class, "mismatch_policy");
        ConfigName.requirePresent(imageMode, ImageMode.class, "image_mode");
        require(maxImagePixels > 0, "max_image_pixels", maxImagePixels, "> 0");
        require(imageTokens >= 1 && imageTokens <= 65536, "image_tokens", imageTokens, "1..65536");
        require(targetShardMb >= 1 && targetShardMb <= 65536, "target_shard_mb", targetShardMb, "1..65536");
        require(rowGroupMb >= 1 && rowGroupMb <= 2047, "row_group_mb", rowGroupMb, "1..2047");
        ConfigName.requirePresent(ordering, Ordering.class, "ordering");
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
        d.put("mismatch_policy", MismatchPolicy.KEEP_IGNORED.configName());
        d.put("image_mode", ImageMode.BYTES.configName());
        // Pillow raises DecompressionBombError above 2 x 89,478,485 pixels; match its hard limit.
        d.put("max_image_pixels", 178_956_970L);
        d.put("image_tokens", 576);
        d.put("target_shard_mb", 256);
        d.put("row_group_mb", 64);
        d.put("seed", 42L);
        d.put("ordering", Ordering.SHUFFLE.configName());
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
        ShardConfig cfg = LAYERS.load(yaml, values, sets);
        List<DatasetManifest> ds = new ArrayList<>();
        for (String m : cfg.manifests()) {
            ds.add(DatasetManifest.load(Path.of(m)));
        }
        return cfg.withDatasets(ds);
    }

    public ShardConfig withDatasets(List<DatasetManifest> ds) {
        return new ShardConfig(
                manifests,
                dataRoot,
                tokenizerDir,
                outputDir,
                modelMaxLength,
                mismatchPolicy,
                imageMode,
                maxImagePixels,
                imageTokens,
                targetShardMb,
                rowGroupMb,
                seed,
                ordering,
                worldSize,
                perDeviceBatch,
                partitions,
                chunkRecords,
                overwrite,
                ds);
    }

    /** Checks what a run needs beyond the key ranges: datasets, paths, unique dataset names. */
    public ShardConfig validatedForRun() {
        require(!datasets.isEmpty(), "manifests", manifests, "at least one dataset manifest");
        require(tokenizerDir != null && !tokenizerDir.isBlank(), "tokenizer_dir", tokenizerDir, "a tokenizer folder");
        require(outputDir != null && !outputDir.isBlank(), "output_dir", outputDir, "an output folder");
        require(
                datasets.stream().map(DatasetManifest::name).distinct().count() == datasets.size(),
                "manifests",
                datasets.stream().map(DatasetManifest::name).toList(),
                "datasets with distinct names");
        if (datasets.size() > 1 << 20) {
            throw new IllegalArgumentException("too many datasets: " + datasets.size());
        }
        return this;
    }

    /** The data root relative paths in manifests resolve against (the current folder when unset). */
    public Path dataRootPath() {
        return Path.of(dataRoot == null || dataRoot.isBlank() ? "." : dataRoot)
                .toAbsolutePath()
                .normalize();
    }

    /** Per-dataset pixel limit: the manifest's when given, else the job's. */
    public long pixelLimit(DatasetManifest m) {
        return m.maxImagePixels() != null ? m.maxImagePixels() : maxImagePixels;
    }

    /** The resolved key map, for provenance in {@code _manifest.json}. */
    public Map<String, Object> asKeys() {
        Map<String, Object> m = LayeredConfig.asKeys(this);
        m.put("data_root", dataRootPath().toString());
        return m;
    }
}
