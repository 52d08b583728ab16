/**
 * Pipeline position: data -> train boundary. The shard format the Spark sharding job writes (Parquet,
 * one row per sample in global training order) and a Spark-free reader for training workers, which have
 * parquet-hadoop and the Hadoop client jars but no Spark.
 */
package io.share4v.data.shard;
