package io.share4v.train.data;

/**
 * The startup check of a stage-2 run trained with {@code group_by_modality_length}: the order is computed once, by
 * the sharding job, for one world size and per-device batch (its megabatches are {@code world_size x
 * per_device_batch} rows, each cut into {@code world_size} single-modality, length-balanced per-device batches);
 * the trainer reads the rows in that order, so it must run with the same two numbers.
 *
 * <p>To train with another number of workers or another micro-batch, re-shard with those numbers (the shards are
 * rewritten; tokenization and image checks are repeated):
 *
 * <pre>
 * bin/share4v shard --manifest data-manifests/sharegpt4v-mix665k.yaml --data-root DATA --tokenizer TOK --out OUT \
 *     --set ordering=group_by_modality_length --set world_size=W --set per_device_batch=B
 * </pre>
 */
public final class ModalityGrouping {
    private ModalityGrouping() {}

    /**
     * @param worldSize      the run's number of workers
     * @param perDeviceBatch the run's micro-batch per worker
     * @throws DataLoadException when the shards are not in modality-grouped order or were grouped for other numbers
     */
    public static void requireMatches(ShardManifest manifest, int worldSize, int perDeviceBatch) {
        if (!ShardManifest.GROUP_BY_MODALITY_LENGTH.equals(manifest.ordering())) {
            throw new DataLoadException(manifest.source() + ": the run groups batches by modality and length, but the"
                    + " shards are in ordering " + manifest.ordering() + "; re-shard with --set ordering="
                    + ShardManifest.GROUP_BY_MODALITY_LENGTH + " --set world_size=" + worldSize
                    + " --set per_device_batch=" + perDeviceBatch);
        }
        if (manifest.worldSize() != worldSize || manifest.perDeviceBatch() != perDeviceBatch) {
            throw new DataLoadException(manifest.source() + ": the shards are grouped by modality for world_size "
                    + manifest.worldSize() + " x per_device_batch " + manifest.perDeviceBatch()
                    + ", but the run has " + worldSize + " workers x micro-batch " + perDeviceBatch
                    + "; re-shard with --set world_size=" + worldSize + " --set per_device_batch=" + perDeviceBatch
                    + " (or run with the shards' numbers)");
        }
    }
}
