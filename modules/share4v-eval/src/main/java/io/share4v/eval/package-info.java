/**
 * Benchmark evaluation: the LLaVA answer-file format ({@link io.share4v.eval.answers}) and the official scorers
 * ({@link io.share4v.eval.score}), reproducing each benchmark's published numbers offline.
 */
package io.share4v.eval;
