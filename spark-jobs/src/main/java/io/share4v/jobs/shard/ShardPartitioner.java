package io.share4v.jobs.shard;

import org.apache.spark.Partitioner;

/** Partition k holds global order positions [k*rowsPerShard, (k+1)*rowsPerShard): shard k in file-name order. */
final class ShardPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int shards;
    private final long rowsPerShard;

    ShardPartitioner(int shards, long rowsPerShard) {
        this.shards = shards;
        this.rowsPerShard = rowsPerShard;
    }

    @Override
    public int numPartitions() {
        return shards;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.min(shards - 1, ((Long) key) / rowsPerShard);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardPartitioner p && p.shards == shards && p.rowsPerShard == rowsPerShard;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(rowsPerShard) * 31 + shards;
    }
}
