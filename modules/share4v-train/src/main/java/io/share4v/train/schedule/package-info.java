/**
 * Learning-rate schedules, one value per optimizer step: {@link io.share4v.train.schedule.CosineWithWarmup} (both
 * stages of the reference) and {@link io.share4v.train.schedule.ConstantLr}, chosen by
 * {@link io.share4v.train.schedule.LrScheduler}.
 */
package io.share4v.train.schedule;
