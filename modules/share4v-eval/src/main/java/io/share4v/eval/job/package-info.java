/**
 * The evaluation job's pieces that need no Spark: its config ({@link io.share4v.eval.job.EvalConfig}), the
 * driver's planning, merging, scoring and records ({@link io.share4v.eval.job.EvalDriver}, layout in
 * {@link io.share4v.eval.job.EvalLayout}), one task's work ({@link io.share4v.eval.job.ChunkWorker}: a chunk of
 * every benchmark with one model load, resumable through its part files) and the progress log
 * ({@link io.share4v.eval.job.ProgressMonitor}). The Spark job ({@code io.share4v.jobs.eval.EvalRun}) distributes
 * the tasks.
 */
package io.share4v.eval.job;
