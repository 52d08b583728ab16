package io.share4v.eval.job;

import java.io.Serializable;

/**
 * The model every task loads, as the driver resolved it (paths as strings: this goes to the executors).
 *
 * @param model         the model directory
 * @param visionTower   the vision tower directory, or null (from the model's config)
 * @param modelId       the answers' {@code model_id}
 * @param backend       the tensor backend by name
 * @param batchSize     questions decoded together
 * @param decodeThreads image decoding threads
 */
public record ModelSpec(
        String model, String visionTower, String modelId, String backend, int batchSize, int decodeThreads)
        implements Serializable {
    /**
     * The config's model, its paths made absolute against the driver's working directory: an executor resolves a
     * relative path against its own (on a standalone cluster the Worker's application directory), where the model is
     * not.
     */
    public static ModelSpec of(EvalConfig cfg) {
        return new ModelSpec(
                absolute(cfg.model()),
                cfg.visionTower() == null ? null : absolute(cfg.visionTower()),
                cfg.resolvedModelId(),
                cfg.backend(),
                cfg.batchSize(),
                cfg.decodeThreads());
    }

    private static String absolute(String path) {
        return EvalConfig.localPath(path).toAbsolutePath().normalize().toString();
    }
}
