/**
 * The trainer's data: a {@link io.share4v.train.data.ShardDataset} opens a sharding output (its {@code
 * _manifest.json} and Parquet files, on any Hadoop filesystem) and reads rows by global index in shard order; a
 * {@link io.share4v.train.data.Collator} turns rows into model micro-batches exactly as the reference's collator
 * (right padding, truncation before image expansion, one preprocessed image per placeholder); a {@link
 * io.share4v.train.data.ShardBatchSource} prepares each rank's micro-batches of the coming steps in the background
 * and measures the time the trainer waits for them. {@link io.share4v.train.data.ModalityGrouping} is the startup
 * check that modality-grouped shards were ordered for the run's world size and micro-batch.
 */
package io.share4v.train.data;
