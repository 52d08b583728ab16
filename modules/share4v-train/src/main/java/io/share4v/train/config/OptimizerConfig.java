package io.share4v.train.config;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;
import io.share4v.train.schedule.LrScheduler;

/**
 * AdamW, its schedule and the run's length ({@code optimizer.*}); names as HF's {@code TrainingArguments}.
 *
 * @param maxGradNorm    clip the global gradient norm to this; null: no clipping (the reference clips nothing)
 * @param warmupRatio    warmup steps = {@code ceil(warmup_ratio · total steps)}
 * @param numTrainEpochs passes over the shards
 * @param maxSteps       when set, the run's optimizer steps regardless of epochs
 */
public record OptimizerConfig(
        Double lr,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double weightDecay,
        Double maxGradNorm,
        double warmupRatio,
        LrScheduler lrScheduler,
        int numTrainEpochs,
        Long maxSteps) {
    public OptimizerConfig {
        require(lr != null && Double.isFinite(lr) && lr > 0, "optimizer.lr", lr, "a learning rate > 0");
        require(adamBeta1 >= 0 && adamBeta1 < 1, "optimizer.adam_beta1", adamBeta1, "0 <= beta1 < 1");
        require(adamBeta2 >= 0 && adamBeta2 < 1, "optimizer.adam_beta2", adamBeta2, "0 <= beta2 < 1");
        require(adamEpsilon > 0 && Double.isFinite(adamEpsilon), "optimizer.adam_epsilon", adamEpsilon, "> 0");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "optimizer.weight_decay", weightDecay, ">= 0");
        require(
                maxGradNorm == null || (maxGradNorm > 0 && Double.isFinite(maxGradNorm)),
                "optimizer.max_grad_norm",
                maxGradNorm,
                "> 0, or null for no clipping");
        require(warmupRatio >= 0 && warmupRatio <= 1, "optimizer.warmup_ratio", warmupRatio, "0..1");
        ConfigName.requirePresent(lrScheduler, LrScheduler.class, "optimizer.lr_scheduler");
        require(
                lrScheduler != LrScheduler.CONSTANT || warmupRatio == 0,
                "optimizer.warmup_ratio",
                warmupRatio,
                "0 with lr_scheduler constant (it has no warmup)");
        require(numTrainEpochs >= 1, "optimizer.num_train_epochs", numTrainEpochs, ">= 1");
        require(maxSteps == null || maxSteps >= 1, "optimizer.max_steps", maxSteps, ">= 1, or null for whole epochs");
    }
}
