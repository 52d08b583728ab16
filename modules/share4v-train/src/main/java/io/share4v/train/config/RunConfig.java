package io.share4v.train.config;

import static io.share4v.common.config.ConfigChecks.require;

/**
 * How the run executes and what it writes ({@code run.*}).
 *
 * @param seed           seeds everything random in the run (the reference's HF default is 42)
 * @param saveEvery      commit a checkpoint every this many optimizer steps (and always at the end)
 * @param saveTotalLimit committed checkpoints kept; older ones are deleted once a newer one is committed
 * @param outputDir      checkpoints, metrics and {@code final/}; any Hadoop file system URI or a local path
 * @param backend        the tensor backend by name ({@code java}, {@code nd4j}, ...)
 * @param recompute      gradient checkpointing: recompute layer activations in the backward instead of keeping them
 * @param stopAfter      stop cleanly after this optimizer step with a committed checkpoint, the schedule still
 *                       computed for the whole run (a job reaching its time limit); null: run to the end
 * @param evalEvery      validation loss every this many steps (and at the end); null: only at the end, when
 *                       {@code data.eval_shards} names a held-out split
 * @param evalConf       an evaluation config ({@code conf/eval.yaml}): after the last step the driver runs the
 *                       benchmark evaluation on the final checkpoint into {@code OUTPUT/eval/}; null: no evaluation
 * @param evalBenchmarks the benchmarks to evaluate, comma-separated (e.g. {@code mme,pope}); null: the evaluation
 *                       config's {@code benchmarks}
 */
public record RunConfig(
        long seed,
        int saveEvery,
        int saveTotalLimit,
        String outputDir,
        String backend,
        boolean recompute,
        Long stopAfter,
        Long evalEvery,
        String evalConf,
        String evalBenchmarks) {
    public RunConfig {
        require(saveEvery >= 1, "run.save_every", saveEvery, ">= 1");
        require(saveTotalLimit >= 1, "run.save_total_limit", saveTotalLimit, ">= 1");
        require(outputDir == null || !outputDir.isBlank(), "run.output_dir", outputDir, "a directory, or null");
        require(backend != null && !backend.isBlank(), "run.backend", backend, "a backend name such as nd4j or java");
        require(stopAfter == null || stopAfter >= 1, "run.stop_after", stopAfter, ">= 1, or null to run to the end");
        require(evalEvery == null || evalEvery >= 1, "run.eval_every", evalEvery, ">= 1, or null");
        require(evalConf == null || !evalConf.isBlank(), "run.eval_conf", evalConf, "an evaluation config, or null");
        require(
                evalBenchmarks == null || !evalBenchmarks.isBlank(),
                "run.eval_benchmarks",
                evalBenchmarks,
                "benchmark names (comma-separated), or null for the evaluation config's");
        require(
                evalBenchmarks == null || evalConf != null,
                "run.eval_benchmarks",
                evalBenchmarks,
                "null unless run.eval_conf names an evaluation config");
    }
}
