package io.share4v.data.manifest;

import static io.share4v.common.config.ConfigChecks.require;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.share4v.common.config.ConfigName;
import io.share4v.common.config.StrictYaml;
import io.share4v.data.image.AspectMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One dataset to shard: a LLaVA JSON array, the folder its relative image paths resolve against, and how
 * its records are turned into samples. Relative paths resolve against a data root given at run time
 * ({@code --data-root}), so the same manifests work on a laptop and on the cluster's shared filesystem.
 *
 * @param name            short dataset name written to every shard row and ledger line
 * @param stage           1 (pretraining) or 2 (instruction tuning); informational
 * @param json            the JSON array file, relative to the data root (or absolute)
 * @param imageRoot       the reference's {@code --image_folder}, relative to the data root (or absolute)
 * @param template        {@code plain} (stage 1) or {@code v1} (stage 2)
 * @param aspect          {@code square} (center crop) or {@code pad} (pad to square with the CLIP mean)
 * @param expectedCount   records the file is expected to hold; null when unknown
 * @param expectedCountExact (optional, default false) whether {@code expectedCount} is a confirmed exact count or an approximation
 * @param sha256          expected sha256 of the JSON file (lowercase hex); null to skip the check
 * @param maxImagePixels  per-dataset pixel limit overriding the job's; null to use the job's
 * @param notes           known quirks of the data (free text)
 */
public record DatasetManifest(
        String name,
        Integer stage,
        String json,
        String imageRoot,
        String template,
        AspectMode aspect,
        Long expectedCount,
        Boolean expectedCountExact,
        String sha256,
        Long maxImagePixels,
        String notes) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public DatasetManifest {
        require(
                name != null && NAME.matcher(name).matches(),
                "name",
                name,
                "1-64 characters of letters, digits, '.', '_' or '-'");
        require(stage != null && (stage == 1 || stage == 2), "stage", stage, "1 or 2");
        expectedCountExact = expectedCountExact != null && expectedCountExact;
        require(json != null && !json.isBlank(), "json", json, "a path to the JSON array file");
        require(imageRoot != null && !imageRoot.isBlank(), "image_root", imageRoot, "a folder path");
        require("plain".equals(template) || "v1".equals(template), "template", template, "plain or v1");
        ConfigName.requirePresent(aspect, AspectMode.class, "aspect");
        require(expectedCount == null || expectedCount >= 0, "expected_count", expectedCount, ">= 0 or null");
        require(
                !expectedCountExact || expectedCount != null,
                "expected_count_exact",
                true,
                "false when expected_count is null");
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
        }
        require(sha256 == null || SHA256.matcher(sha256).matches(), "sha256", sha256, "64 hex digits or null");
        require(maxImagePixels == null || maxImagePixels > 0, "max_image_pixels", maxImagePixels, "> 0 or null");
    }

    /** A manifest for one JSON file given directly on the command line (no YAML). */
    public static DatasetManifest adHoc(String name, Path json, Path imageRoot, String template, AspectMode aspect) {
        return new DatasetManifest(
                name,
                "plain".equals(template) ? 1 : 2,
                json.toAbsolutePath().toString(),
                imageRoot.toAbsolutePath().toString(),
                template,
                aspect,
                null,
                false,
                null,
                null,
                null);
    }

    public static DatasetManifest load(Path file) throws IOException {
        try {
            return StrictYaml.yamlMapper().readValue(file.toFile(), DatasetManifest.class);
        } catch (JsonProcessingException e) {
            throw new IOException("dataset manifest " + file + ": " + StrictYaml.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("dataset manifest " + file + ": " + e.getMessage(), e);
        }
    }

    public Path jsonPath(Path dataRoot) {
        return dataRoot.resolve(json).normalize();
    }

    public Path imageRootPath(Path dataRoot) {
        return dataRoot.resolve(imageRoot).normalize();
    }

    /** Fails with a message naming the file when the JSON is missing; called before any work. */
    public Path existingJson(Path dataRoot) throws IOException {
        Path p = jsonPath(dataRoot);
        if (!Files.isRegularFile(p)) {
            throw new IOException("dataset " + name + ": JSON file " + p + " does not exist (json: " + json
                    + ", data root " + dataRoot + ")");
        }
        return p;
    }
}
