/**
 * The settings of a training run: {@link io.share4v.train.config.TrainConfig} (stage, model inputs, data, batch,
 * optimizer, loss, run, collective), read from {@code conf/*.yaml} with {@code --set group.key=value} overrides,
 * validated at construction with messages naming the key, and written back as YAML into every checkpoint.
 */
package io.share4v.train.config;
