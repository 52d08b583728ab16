/**
 * Pipeline position: data (Spark). The sharding job: LLaVA JSON arrays named by dataset manifests are
 * validated, tokenized, masked and image-checked on executors, put in a fixed global training order and
 * written as Parquet shards with a rejects ledger and a {@code _manifest.json} of counts and provenance.
 */
package io.share4v.jobs.shard;
