/**
 * Which rows each worker trains on at each optimizer step: {@link io.share4v.train.plan.BatchPlan} cuts one global
 * row order into global batches and micro-batches so that the sequence of micro-batches never depends on the
 * number of workers, and pads the last global batch as the reference does ({@link io.share4v.train.plan.LastBatch}).
 */
package io.share4v.train.plan;
