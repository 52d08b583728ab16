/**
 * The runners: each benchmark's questions read from its question file ({@link io.share4v.eval.run.BenchmarkRunner}),
 * turned into the prompt the reference's {@code model_vqa*} script builds, answered by the model in batches
 * ({@link io.share4v.eval.run.QuestionAnswerer}) and written in the reference's answer-file format, so the scorers
 * in {@link io.share4v.eval.score} (and the reference's own tooling) read them.
 */
package io.share4v.eval.run;
