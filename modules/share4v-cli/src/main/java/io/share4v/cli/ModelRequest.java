package io.share4v.cli;

import io.share4v.common.json.JsonFile;
import io.share4v.data.Tokens;
import io.share4v.tensor.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The request file of {@code share4v forward} and {@code share4v generate --request}:
 * {@code {"input_ids": [[...], ...], "labels": [[...], ...] (optional),
 * "images": ["a.npy", ...]}}, one {@code [3, H, W]} float32 {@code .npy} per {@value Tokens#IMAGE_TOKEN_INDEX} in
 * order of appearance over the batch (relative paths resolve against the request's folder). Rows may be ragged;
 * {@link #padded} right-pads them as the reference collator does. Every error names the request file.
 */
record ModelRequest(Path file, int[][] inputIds, int[][] labels, List<Path> images) {
    private static final Set<String> KEYS = Set.of("input_ids", "labels", "images");

    static ModelRequest read(Path file) throws IOException {
        return read(file, true);
    }

    /** As {@link #read(Path)}, but a {@code labels} key is neither parsed nor checked (generation ignores it). */
    static ModelRequest readIgnoringLabels(Path file) throws IOException {
        return read(file, false);
    }

    private static ModelRequest read(Path file, boolean withLabels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("request " + file + " does not exist");
        }
        JsonFile root =
                JsonFile.read(file, (message, cause) -> new IllegalArgumentException("request " + message, cause));
        root.requireOnlyKeys(KEYS);
        int[][] ids = root.intRows("input_ids");
        if (ids == null) {
            throw root.fail("input_ids is missing");
        }
        int[][] labels = withLabels ? root.intRows("labels") : null;
        if (labels != null) {
            if (labels.length != ids.length) {
                throw root.fail("labels has " + labels.length + " rows, input_ids " + ids.length);
            }
            for (int b = 0; b < ids.length; b++) {
                if (labels[b].length != ids[b].length) {
                    throw root.fail(
                            "labels row " + b + " has " + labels[b].length + " values, input_ids row " + ids[b].length);
                }
            }
        }
        List<Path> images = new ArrayList<>();
        Path base = file.toAbsolutePath().getParent();
        List<String> imageNames = root.strings("images");
        for (String name : imageNames == null ? List.<String>of() : imageNames) {
            images.add(base.resolve(name));
        }
        int imageTokens = 0;
        for (int[] row : ids) {
            for (int id : row) {
                imageTokens += id == Tokens.IMAGE_TOKEN_INDEX ? 1 : 0;
            }
        }
        if (imageTokens != images.size()) {
            throw root.fail("input_ids has " + imageTokens + " image tokens (" + Tokens.IMAGE_TOKEN_INDEX
                    + ") but images lists " + images.size()
                    + " files; give one [3,H,W] .npy per image token, in order");
        }
        return new ModelRequest(file, ids, labels, List.copyOf(images));
    }

    /** Rows right-padded to the longest: ids with {@code padId}, labels with {@value Tokens#IGNORE_INDEX}. */
    static int[][] padded(int[][] rows, int fill) {
        if (rows == null) {
            return null;
        }
        int longest = 0;
        for (int[] r : rows) {
            longest = Math.max(longest, r.length);
        }
        int[][] out = new int[rows.length][longest];
        for (int b = 0; b < rows.length; b++) {
            java.util.Arrays.fill(out[b], fill);
            System.arraycopy(rows[b], 0, out[b], 0, rows[b].length);
        }
        return out;
    }

    /**
     * The images as CHW float arrays, each checked to be {@code [channels, size, size]} float32.
     */
    float[][] loadImages(int channels, int size) throws IOException {
        float[][] out = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            Path p = images.get(i);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("request " + file + ": image " + i + " " + p + " does not exist");
            }
            Npy.FloatArray a;
            try {
                a = Npy.readFloat32(p);
            } catch (IOException e) {
                throw new IllegalArgumentException("request " + file + ": image " + i + ": " + e.getMessage());
            }
            int[] s = a.shape();
            if (s.length != 3 || s[0] != channels || s[1] != size || s[2] != size) {
                throw new IllegalArgumentException("request " + file + ": image " + i + " " + p + " has shape "
                        + java.util.Arrays.toString(s) + "; the vision tower expects [" + channels + ", " + size
                        + ", " + size + "]");
            }
            out[i] = a.data();
        }
        return out;
    }
}
