package io.share4v.train.data;

import java.util.List;

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
     * Checks each shard directory (its manifest) and, when there are several, that their concatenation keeps the
     * megabatches whole: every directory but the last must hold a multiple of {@code worldSize x perDeviceBatch}
     * rows, or its last, short megabatch would be completed with the next directory's rows and the batch plan's
     * global batches would straddle two directories' groupings.
     *
     * @param manifests      the run's shard directories' manifests, in the order listed
     * @param worldSize      the run's number of workers
     * @param perDeviceBatch the run's micro-batch per worker
     * @throws DataLoadException when shards are not in modality-grouped order, were grouped for other numbers, or
     *     a directory other than the last does not end on a megabatch boundary; the message names the directory
     */
    public static void requireMatches(List<ShardManifest> manifests, int worldSize, int perDeviceBatch) {
        long megabatch = (long) worldSize * perDeviceBatch;
        for (int i = 0; i < manifests.size(); i++) {
            ShardManifest m = manifests.get(i);
            requireMatches(m, worldSize, perDeviceBatch);
            if (i < manifests.size() - 1 && m.totalRows() % megabatch != 0) {
                throw new DataLoadException(m.source() + ": holds " + m.totalRows() + " rows, not a multiple of the"
                        + " megabatch of " + worldSize + " workers x micro-batch " + perDeviceBatch + " = " + megabatch
                        + " rows, and another shard directory follows it in data.shards; with"
                        + " group_by_modality_length its last megabatch would be completed with the next directory's"
                        + " rows. List it last, or shard the datasets together in one shard job");
            }
        }
    }

    private static void requireMatches(ShardManifest manifest, int worldSize, int perDeviceBatch) {
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
