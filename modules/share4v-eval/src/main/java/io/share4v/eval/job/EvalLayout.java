package io.share4v.eval.job;

import java.nio.file.Path;

/**
 * Where a run writes. The job's layout ({@link #directory}):
 * <pre>
 *   OUTPUT/run.json                      the run: model, model_id, vision_tower, checkpoint, git_commit, config, times
 *   OUTPUT/BENCH/parts/plan.json         the chunking, question count and question file fingerprint
 *   OUTPUT/BENCH/parts/chunk-NNNNN.jsonl one task's answers, appended as they come (what a re-run resumes from)
 *   OUTPUT/BENCH/answers.jsonl           the merged answer file in the reference's format (question order)
 *   OUTPUT/BENCH/run.json                counts, speed, settings (and score_error when scoring failed)
 *   OUTPUT/BENCH/score.json              the scorer's numbers, when the benchmark can be scored
 * </pre>
 * {@code bin/share4v eval --answers FILE} uses {@link #singleFile}: the answers at FILE, the rest under
 * {@code FILE.parts/}.
 */
public interface EvalLayout {
    /** The benchmark's files. */
    BenchmarkPaths benchmark(String name);

    /** The run's {@code run.json}, or null when the layout has none. */
    Path runFile();

    /** The job's layout under {@code output}. */
    static EvalLayout directory(Path output) {
        return new EvalLayout() {
            @Override
            public BenchmarkPaths benchmark(String name) {
                Path dir = output.resolve(name);
                return new BenchmarkPaths(
                        dir.resolve("parts"),
                        dir.resolve("answers.jsonl"),
                        dir.resolve("run.json"),
                        dir.resolve("score.json"));
            }

            @Override
            public Path runFile() {
                return output.resolve("run.json");
            }
        };
    }

    /** One benchmark's answers at {@code answers}; parts, plan, run.json and score.json in {@code answers.parts/}. */
    static EvalLayout singleFile(Path answers) {
        Path parts = answers.resolveSibling(answers.getFileName() + ".parts");
        return new EvalLayout() {
            @Override
            public BenchmarkPaths benchmark(String name) {
                return new BenchmarkPaths(parts, answers, parts.resolve("run.json"), parts.resolve("score.json"));
            }

            @Override
            public Path runFile() {
                return null;
            }
        };
    }

    /** One benchmark's files. */
    record BenchmarkPaths(Path parts, Path answers, Path runJson, Path scoreJson) {}
}
