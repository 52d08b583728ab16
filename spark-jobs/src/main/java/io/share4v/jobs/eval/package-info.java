/**
 * The evaluation job on Spark: {@link io.share4v.jobs.eval.EvalJob} ({@code spark-submit} entry point) and
 * {@link io.share4v.jobs.eval.EvalRun} (the library call {@code bin/share4v eval} and the trainer's hook use).
 */
package io.share4v.jobs.eval;
