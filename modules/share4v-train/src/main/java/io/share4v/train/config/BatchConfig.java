package io.share4v.train.config;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;
import io.share4v.train.plan.BatchShape;
import io.share4v.train.plan.LastBatch;

/**
 * The batch numbers ({@code batch.*}): rows per optimizer step over all workers, rows per forward/backward, the
 * number of workers and the last-batch policy. The accumulation {@code G / (m·W)} must be whole.
 */
public record BatchConfig(Integer globalBatchSize, Integer perDeviceBatchSize, int workers, LastBatch lastBatch) {
    public BatchConfig {
        require(globalBatchSize != null, "batch.global_batch_size", null, "rows per optimizer step, >= 1");
        require(perDeviceBatchSize != null, "batch.per_device_batch_size", null, "rows per micro-batch, >= 1");
        ConfigName.requirePresent(lastBatch, LastBatch.class, "batch.last_batch");
        new BatchShape(globalBatchSize, perDeviceBatchSize, workers); // refuses a remainder, naming G, m and W
    }

    public BatchShape shape() {
        return new BatchShape(globalBatchSize, perDeviceBatchSize, workers);
    }
}
