/**
 * One rank's whole training run: {@link io.share4v.train.run.TrainingRun#run} builds the model, resumes from the
 * newest committed checkpoint, runs the optimizer steps, checkpoints and publishes {@code OUTPUT/final/}. The
 * Spark job's barrier tasks and {@code bin/share4v train} call it once per rank with a formed collective.
 */
package io.share4v.train.run;
