package io.share4v.train.data;

import io.share4v.data.Tokens;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.image.RgbImage;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.shard.ShardRow;
import io.share4v.model.llava.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shard rows to a model micro-batch, as ShareGPT4V's {@code DataCollatorForSupervisedDataset}: {@code input_ids}
 * right-padded with {@value #PAD_ID} and {@code labels} with {@value Tokens#IGNORE_INDEX} to the longest sample,
 * both then truncated to {@code model_max_length} (before the image placeholder expands to its patch tokens), and
 * one preprocessed image per {@value Tokens#IMAGE_TOKEN_INDEX} left after truncation, in batch order. Text-only
 * samples carry no image (the reference's zero image only goes through the tower to be discarded).
 *
 * <p>Work is split so that the expensive part runs on many threads: {@link #prepare} decodes and preprocesses one
 * row (thread-safe), {@link #assemble} pads prepared samples in the order given, so the batch never depends on which
 * row finished first.
 */
public final class Collator {
    /** ShareGPT4V's pad id: the LLaMA tokenizer's unk, 0 (its attention mask is {@code input_ids != 0}). */
    public static final int PAD_ID = 0;

    /** One row ready to pad: ids and labels truncated to {@code model_max_length}, pixels null without an image. */
    public record Sample(int[] inputIds, int[] labels, float[] pixels) {}

    private final int modelMaxLength;
    private final String template;
    private final ClipImageProcessor processor;
    private final Map<String, Path> imageRoots;
    private final ImageDecoder decoder = new ImageDecoder();

    /**
     * @param modelMaxLength the run's {@code model_max_length} (2048 in both stages)
     * @param template       the run's conversation template ({@code plain} stage 1, {@code v1} stage 2); every row
     *                       must have been tokenized with it
     * @param image          the vision tower's image preprocessing; its aspect ({@code square} stage 1, {@code pad}
     *                       stage 2) must be every row's
     * @param imageRoots     dataset name to the folder its {@code image_path}s resolve against, for shards written in
     *                       path mode (rows without image bytes); may be empty for bytes mode
     */
    public Collator(
            int modelMaxLength, String template, ClipImageProcessor.Config image, Map<String, Path> imageRoots) {
        if (modelMaxLength < 1) {
            throw new IllegalArgumentException("model_max_length = " + modelMaxLength + " must be >= 1");
        }
        this.modelMaxLength = modelMaxLength;
        this.template = template;
        this.processor = new ClipImageProcessor(image);
        this.imageRoots = Map.copyOf(imageRoots);
    }

    public String aspect() {
        return processor.config().aspect().configName();
    }

    public String template() {
        return template;
    }

    /**
     * The collator of a run over the given shard directories (their manifests), after checking that each was made
     * for it: every dataset's template and aspect equal the run's, the tokenizer is the run's (when {@code
     * tokenizerFingerprint} is given) and the shards were not truncated shorter than the run's {@code
     * model_max_length}; an error names the directory's manifest. Image roots not given are taken from the
     * manifests (a dataset name that two directories give different roots is refused); for path-mode shards every
     * dataset must have one.
     */
    public static Collator forShards(
            List<ShardManifest> manifests,
            int modelMaxLength,
            String template,
            ClipImageProcessor.Config image,
            String tokenizerFingerprint,
            Map<String, Path> imageRoots) {
        Map<String, Path> roots = new HashMap<>(imageRoots);
        Map<String, String> rootSources = new HashMap<>();
        for (ShardManifest manifest : manifests) {
            manifest.requireCompatible(template, image.aspect().configName(), tokenizerFingerprint);
            if (manifest.modelMaxLength() < modelMaxLength) {
                throw new DataLoadException(manifest.source() + ": rows were truncated to model_max_length "
                        + manifest.modelMaxLength() + " when sharded, shorter than the run's model_max_length "
                        + modelMaxLength + "; re-shard with --set model_max_length=" + modelMaxLength);
            }
            for (ShardManifest.Dataset d : manifest.datasets()) {
                if (!imageRoots.containsKey(d.name()) && d.imageRoot() != null) {
                    Path root = Path.of(d.imageRoot());
                    Path earlier = roots.putIfAbsent(d.name(), root);
                    if (earlier != null && !earlier.equals(root)) {
                        throw new DataLoadException(manifest.source() + ": dataset " + d.name() + " has image root "
                                + root + ", but " + rootSources.get(d.name()) + " gives it " + earlier
                                + "; one run reads one image root per dataset name");
                    }
                    rootSources.putIfAbsent(d.name(), manifest.source());
                }
                if (manifest.pathMode() && !roots.containsKey(d.name())) {
                    throw new DataLoadException(manifest.source() + ": the shards hold image paths (image_mode path)"
                            + " but no image root is known for dataset " + d.name() + "; give one for it");
                }
            }
        }
        return new Collator(modelMaxLength, template, image, roots);
    }

    /** {@link #prepare} and {@link #assemble} on the calling thread; rows are named by their batch position. */
    public Batch collate(List<ShardRow> rows) {
        Sample[] samples = new Sample[rows.size()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = prepare(rows.get(i), "batch sample " + i);
        }
        return assemble(List.of(samples));
    }

    /**
     * Truncates the row's ids and labels and, when an image placeholder survives truncation, decodes and
     * preprocesses its image.
     *
     * @param where the row's position, named with its dataset and id in every error
     */
    public Sample prepare(ShardRow row, String where) {
        String record = where + ", id " + row.id() + " of dataset " + row.dataset();
        if (!template.equals(row.template()) || !aspect().equals(row.aspect())) {
            throw new DataLoadException(record + ": sharded with template " + row.template() + " and aspect "
                    + row.aspect() + ", but the run uses template " + template + " and aspect " + aspect());
        }
        if (row.inputIds() == null || row.labels() == null || row.inputIds().length != row.labels().length) {
            throw new DataLoadException(record + ": input_ids and labels must both be present with equal lengths, got "
                    + length(row.inputIds()) + " and " + length(row.labels()));
        }
        if (row.inputIds().length == 0) {
            throw new DataLoadException(record + ": input_ids is empty");
        }
        int n = Math.min(row.inputIds().length, modelMaxLength);
        int[] ids = Arrays.copyOf(row.inputIds(), n);
        int[] labels = Arrays.copyOf(row.labels(), n);
        long placeholders =
                Arrays.stream(ids).filter(t -> t == Tokens.IMAGE_TOKEN_INDEX).count();
        if (placeholders > 1) {
            throw new DataLoadException(record + ": " + placeholders + " image placeholders ("
                    + Tokens.IMAGE_TOKEN_INDEX + "); a sample has at most one image");
        }
        if (placeholders == 1 && !row.hasImage()) {
            throw new DataLoadException(
                    record + ": has an image placeholder (" + Tokens.IMAGE_TOKEN_INDEX + ") but no image");
        }
        return new Sample(ids, labels, placeholders == 1 ? pixels(row, record) : null);
    }

    private float[] pixels(ShardRow row, String record) {
        byte[] bytes = row.image() != null ? row.image() : readImageFile(row, record);
        try {
            RgbImage image = decoder.decode(bytes, row.imagePath() != null ? row.imagePath() : row.id());
            return processor.preprocess(image);
        } catch (RecordRejectedException e) {
            throw new DataLoadException(record + ": image " + row.imagePath() + ": " + e.getMessage(), e);
        }
    }

    private byte[] readImageFile(ShardRow row, String record) {
        Path root = imageRoots.get(row.dataset());
        if (row.imagePath() == null) {
            throw new DataLoadException(record + ": has an image but neither image bytes nor image_path");
        }
        if (root == null) {
            throw new DataLoadException(record + ": the shards hold image paths (path mode) but no image root is"
                    + " known for dataset " + row.dataset() + "; known: " + imageRoots.keySet());
        }
        Path rel = Path.of(row.imagePath()).normalize();
        if (rel.isAbsolute() || rel.startsWith("..")) {
            throw new DataLoadException(record + ": image_path " + row.imagePath() + " leaves the image root");
        }
        Path file = root.resolve(rel);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataLoadException(record + ": cannot read image " + file + ": " + e, e);
        }
    }

    /** Pads the samples, in the order given, into one batch. */
    public Batch assemble(List<Sample> samples) {
        int width = samples.stream().mapToInt(s -> s.inputIds().length).max().orElseThrow();
        int[][] ids = new int[samples.size()][];
        int[][] labels = new int[samples.size()][];
        int images = 0;
        for (int i = 0; i < ids.length; i++) {
            Sample s = samples.get(i);
            ids[i] = padded(s.inputIds(), width, PAD_ID);
            labels[i] = padded(s.labels(), width, Tokens.IGNORE_INDEX);
            images += s.pixels() != null ? 1 : 0;
        }
        if (images == 0) {
            return Batch.text(ids, labels);
        }
        float[][] pixels = new float[images][];
        int k = 0;
        for (Sample s : samples) {
            if (s.pixels() != null) {
                pixels[k++] = s.pixels();
            }
        }
        return Batch.of(ids, labels, pixels);
    }

    private static int[] padded(int[] values, int width, int fill) {
        int[] out = Arrays.copyOf(values, width);
        Arrays.fill(out, values.length, width, fill);
        return out;
    }

    private static String length(int[] a) {
        return a == null ? "null" : String.valueOf(a.length);
    }
}
