/**
 * Pipeline position: foundation (model kernels). Benchmarks of the {@link io.share4v.tensor.ops.Kernels}
 * implementations: GEMM throughput and the per-kernel time of one small-LLaVA-sized decoder training step.
 * No assertions; the numbers go to docs/benchmarks.md.
 */
package io.share4v.tensor.bench;
