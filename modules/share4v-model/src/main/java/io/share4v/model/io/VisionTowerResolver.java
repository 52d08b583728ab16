package io.share4v.model.io;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds the vision tower directory named by {@code mm_vision_tower}. The reference downloads hub ids on the
 * fly; this project never reaches the network, so a hub id (e.g.
 * {@code Lin-Chen/ShareGPT4V-7B_Pretrained_vit-large336-l12}) must be mapped to a local copy with
 * {@code --vision-tower DIR}. Order: the explicit override; else {@code mm_vision_tower} as a directory,
 * absolute or relative to the model directory; else an error naming the id and the flag.
 */
public final class VisionTowerResolver {
    private VisionTowerResolver() {}

    /**
     * @param modelDir      the LLaVA directory whose {@code config.json} names the tower
     * @param mmVisionTower the {@code mm_vision_tower} value
     * @param override      a local tower directory given by the user, or null
     */
    public static Path resolve(Path modelDir, String mmVisionTower, Path override) {
        if (override != null) {
            requireTowerDir(override, "--vision-tower " + override);
            return override;
        }
        Path candidate = null;
        try {
            Path p = Path.of(mmVisionTower);
            candidate = p.isAbsolute() ? p : modelDir.resolve(p).normalize();
        } catch (InvalidPathException e) {
            // not a path at all: fall through to the hub-id error
        }
        if (candidate != null && Files.isDirectory(candidate)) {
            requireTowerDir(
                    candidate, "mm_vision_tower \"" + mmVisionTower + "\" in " + modelDir.resolve("config.json"));
            return candidate;
        }
        throw new CheckpointException("mm_vision_tower \"" + mmVisionTower + "\" in " + modelDir.resolve("config.json")
                + " is not a local directory (absolute or relative to " + modelDir + "); it looks like a Hugging Face"
                + " hub id, and nothing is downloaded: fetch that repository (config.json + weights of a"
                + " CLIPVisionModel or CLIPModel) and pass its directory with --vision-tower DIR");
    }

    private static void requireTowerDir(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(what + ": " + dir + " is not a directory");
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new CheckpointException(
                    what + ": " + dir + " has no config.json (expected a CLIPVisionModel" + " or CLIPModel directory)");
        }
    }
}
