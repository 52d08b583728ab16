package io.share4v.model.io;

import io.share4v.common.json.JsonFile;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Loads HF checkpoints into a flat parameter buffer. Every source is read and matched against the layout
 * first (names through {@link CheckpointNames}); only when nothing is missing, unexpected, duplicated or
 * mis-shaped are tensors copied (memory-mapped, converted to the buffer's FLOAT or DOUBLE), so a bad
 * checkpoint never leaves a half-loaded buffer and one error lists every problem.
 */
public final class CheckpointLoader {
    /** One weight source: a model directory, a tower directory, or a single file. */
    public record Source(Path path, CheckpointNames.Role role) {}

    /** What was loaded: layout name -> the file it came from; names deliberately ignored. */
    public record Report(Map<String, Path> loaded, List<String> ignored) {}

    private CheckpointLoader() {}

    /**
     * A LLaVA / ShareGPT4V directory (LLM + projector, optionally the tower too) plus its vision tower
     * (resolved from {@code mm_vision_tower}, or {@code visionTowerOverride}); or a plain LLaMA directory.
     * Every layout tensor must be provided.
     */
    public static Report load(Path modelDir, Path visionTowerOverride, ParamLayout layout, Backend backend, Tensor flat)
            throws IOException {
        List<Source> sources = new ArrayList<>();
        sources.add(new Source(modelDir, CheckpointNames.Role.MODEL));
        if (HfConfigReader.isLlava(modelDir)) {
            String tower = JsonFile.read(modelDir.resolve("config.json"), CheckpointException::new)
                    .string("mm_vision_tower");
            sources.add(new Source(
                    VisionTowerResolver.resolve(modelDir, tower, visionTowerOverride),
                    CheckpointNames.Role.VISION_TOWER));
        }
        return load(sources, layout, backend, flat, name -> false);
    }

    /**
     * Loads several sources into one buffer (e.g. stage 2's Vicuna dir + tower dir + stage-1
     * {@code mm_projector.bin}). Layout tensors matching {@code mayBeMissing} may be absent (the caller
     * initialises them, e.g. stage 1's fresh projector); every other one must come from exactly one source.
     */
    public static Report load(
            List<Source> sources, ParamLayout layout, Backend backend, Tensor flat, Predicate<String> mayBeMissing)
            throws IOException {
        if (flat.rank() != 1 || flat.length() != layout.totalSize()) {
            throw new IllegalArgumentException(
                    "flat buffer has " + flat.length() + " elements, layout needs " + layout.totalSize());
        }
        Map<String, StoredTensor> chosen = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>(); // present, even if mis-shaped: not "missing"
        for (Source s : sources) {
            List<StoredTensor> tensors =
                    s.path().toFile().isDirectory() ? WeightFiles.read(s.path()) : WeightFiles.readFile(s.path());
            for (StoredTensor t : tensors) {
                String name = CheckpointNames.toLayout(s.role(), t.name());
                if (CheckpointNames.IGNORED.equals(name)) {
                    ignored.add(t.name() + " (" + t.file() + ")");
                    continue;
                }
                if (name == null || !layout.contains(name)) {
                    if (name != null
                            && name.equals("lm_head.weight")
                            && !layout.contains(name)
                            && layout.contains("model.embed_tokens.weight")) {
                        ignored.add(t.name() + " (tied to embed_tokens; " + t.file() + ")");
                        continue;
                    }
                    problems.add("unexpected tensor " + t.name() + " in " + t.file()
                            + (name != null && !name.equals(t.name()) ? " (as " + name + ")" : ""));
                    continue;
                }
                StoredTensor prev = chosen.get(name);
                boolean firstTime = seen.add(name);
                if (prev != null || !firstTime) {
                    problems.add("tensor " + name + " is provided twice: " + (prev == null ? "" : prev.file() + " and ")
                            + t.file());
                    continue;
                }
                long[] want = layout.entry(name).shape();
                if (!Arrays.equals(want, t.shape())) {
                    problems.add("shape mismatch for " + name + ": checkpoint " + t.file() + " has "
                            + Arrays.toString(t.shape()) + ", the model expects " + Arrays.toString(want));
                    continue;
                }
                if (!t.dtype().isFloatingPoint()) {
                    problems.add("tensor " + t.name() + " in " + t.file() + " has dtype " + t.dtype()
                            + "; parameters must be F32, F16, BF16 or F64");
                    continue;
                }
                chosen.put(name, t.renamed(name));
            }
        }
        List<String> missing = new ArrayList<>();
        for (ParamLayout.Entry e : layout.entries()) {
            if (!seen.contains(e.name()) && !mayBeMissing.test(e.name())) {
                missing.add(e.name());
            }
        }
        if (!missing.isEmpty()) {
            problems.add(
                    0, missing.size() + " missing tensor(s): " + abbreviate(missing) + " (sources: " + sources + ")");
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(
                    "checkpoint does not match the model layout:\n  " + String.join("\n  ", problems));
        }
        Map<String, Path> loaded = new LinkedHashMap<>();
        TensorCopier copier = new TensorCopier(backend);
        for (Map.Entry<String, StoredTensor> e : chosen.entrySet()) {
            copier.copy(e.getValue(), flat, layout.entry(e.getKey()).offset());
            loaded.put(e.getKey(), e.getValue().file());
        }
        return new Report(loaded, ignored);
    }

    private static String abbreviate(List<String> names) {
        int show = 12;
        return names.size() <= show
                ? names.toString()
                : names.subList(0, show) + " ... and " + (names.size() - show) + " more";
    }
}
