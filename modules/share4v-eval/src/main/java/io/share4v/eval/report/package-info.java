/**
 * The report of one evaluation run, built from the run's output directory: {@code run.json} (model, checkpoint,
 * commit, config, times, benchmarks) and per benchmark {@code <bench>/run.json} (counts and throughput),
 * {@code <bench>/score.json} (the scorer's output) and {@code <bench>/answers.jsonl}. It writes {@code report.json},
 * {@code report.md} and {@code report.png}: the ShareGPT4V paper's table in its column order with the published
 * ShareGPT4V-7B/13B numbers beside ours ({@link io.share4v.eval.report.PaperNumbers}), and a bar chart of both.
 */
package io.share4v.eval.report;
