package io.share4v.train.collective;

import io.share4v.tensor.Tensor;

/**
 * The data-parallel collective of one rank: sums a flat FLOAT buffer (the gradients) over all ranks and spreads a
 * sharded result (the updated parameters) back, shard by shard as a {@link Partition} assigns them. Together the
 * two halves are an all-reduce with the communication volume of one; in between, each rank can update only the
 * shard it owns (a ZeRO-1/2 sharded optimizer: optimizer memory divided by the world size).
 *
 * <p>Buffers are host FLOAT tensors of {@code partition.size()} elements; only the partition's trainable elements
 * are read, written or sent, so frozen elements stay exactly as each rank has them. Every rank calls the same
 * operations in the same order with equal partitions (a mismatch is detected and reported as a
 * {@link CollectiveException}); one thread per rank calls them, one call at a time. With a world of 1 every
 * operation returns at once.
 *
 * <p>{@link TcpRingCollective} implements it for host memory over TCP; a CUDA backend brings an NCCL
 * implementation of the same interface (reduce-scatter and all-gather on device buffers).
 */
public interface Collective extends AutoCloseable {
    /** This rank, 0..world-1. */
    int rank();

    /** The number of ranks. */
    int world();

    /**
     * Afterwards shard {@code rank()} of {@code flat} holds the element-wise sum over all ranks of their
     * {@code flat}. Elements of the other shards hold partial sums (unspecified); frozen elements are untouched.
     * The summation order of every element is fixed by the world size and the partition (an implementation
     * documents it), so equal inputs give bit-identical sums whatever the timing.
     *
     * @throws CollectiveException when a peer fails, hangs past the I/O timeout or is in another call
     */
    void reduceScatter(Tensor flat, Partition partition);

    /**
     * Afterwards every rank's {@code flat} holds, in each shard, what that shard's owner had in it; frozen elements
     * are untouched, and this rank's own shard is only read.
     *
     * @throws CollectiveException when a peer fails, hangs past the I/O timeout or is in another call
     */
    void allGather(Tensor flat, Partition partition);

    /**
     * {@link #reduceScatter} then {@link #allGather}, with the same result bit for bit: every trainable element of
     * every rank's {@code flat} holds the sum over ranks.
     *
     * @throws CollectiveException when a peer fails, hangs past the I/O timeout or is in another call
     */
    void allReduce(Tensor flat, Partition partition);

    /**
     * Returns once every rank has called it: a few bytes around the ring, for aligning ranks (Spark's own
     * barrier costs about a second per call, so it is used only to exchange addresses once).
     *
     * @throws CollectiveException when a peer fails or hangs past the I/O timeout
     */
    void barrier();

    /** Payload bytes (buffer elements) this rank has sent so far, for metrics and tests. */
    long bytesSent();

    /** Closes the connections; the other ranks' next or current call fails. Idempotent. */
    @Override
    void close();
}
