/**
 * Pipeline position: data, at shard time. The global sample order is fixed when shards are written
 * (training streams shards in order for its single epoch): a seeded shuffle, or LLaVA's
 * {@code group_by_modality_length} batching. Pure Java so it is testable without Spark.
 */
package io.share4v.data.order;
