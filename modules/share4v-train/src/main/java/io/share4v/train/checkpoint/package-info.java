/**
 * Training checkpoints on any Hadoop file system: {@link io.share4v.train.checkpoint.CheckpointStore} (layout,
 * atomic commit through a temporary directory, a rename and a marker written last, keep-last-K, stale-directory
 * clean-up, publishing {@code final/}), {@link io.share4v.train.checkpoint.PendingCheckpoint} (what each rank
 * writes: the HF model, its optimizer shard, the trainer state), {@link io.share4v.train.checkpoint.Checkpoint}
 * (reading them back for a resume, re-sharding the optimizer state when the world size changed: the files'
 * {@code ShardLayout} and {@code ShardSlices}) and {@link io.share4v.train.checkpoint.TrainerState} (step, data
 * position, seeds, resolved config; the resume checks).
 */
package io.share4v.train.checkpoint;
