/**
 * Pipeline position: data (first stage). Everything between the ShareGPT4V/LLaVA JSON files and the
 * training shards: records, tokenizer, templates, label masking, image preprocessing and the shard format.
 * Nothing here depends on Spark, so training workers and the CLI use the same code as the sharding job.
 */
package io.share4v.data;
