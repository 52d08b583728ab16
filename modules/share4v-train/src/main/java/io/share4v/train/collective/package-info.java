/**
 * The trainer's collective: a {@link io.share4v.train.collective.Partition} splits the trainable elements of a flat
 * buffer into one shard per rank, and a {@link io.share4v.train.collective.Collective} reduce-scatters (rank r
 * ends with the sum of shard r), all-gathers (every rank ends with every owner's shard) or all-reduces it. A
 * {@link io.share4v.train.collective.BucketPlan} cuts the trainable elements into gradient buckets (a partition
 * each, reduced one after the other, during the backward when it overlaps); a rank's shard is then the union of its
 * parts of every bucket (both are a {@link io.share4v.train.collective.Sharding}).
 * {@link io.share4v.train.collective.TcpRingCollective} is the host implementation (a deterministic, pipelined TCP
 * ring); {@link io.share4v.train.collective.LocalCluster} runs N ranks as threads of one JVM;
 * {@link io.share4v.train.collective.RingBench} measures its bandwidth.
 */
package io.share4v.train.collective;
