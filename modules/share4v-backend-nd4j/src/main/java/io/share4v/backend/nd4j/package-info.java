/**
 * Pipeline position: foundation (a model backend). The {@code nd4j} backend: host-CPU tensors in JavaCPP memory
 * ({@link io.share4v.backend.nd4j.Nd4jBackend}, registered with {@link io.share4v.tensor.backend.Backends} through
 * {@code ServiceLoader}), the kernels on them ({@link io.share4v.backend.nd4j.CpuBlasKernels}: CBLAS of the
 * OpenBLAS that ND4J's CPU backend loads, and Java loops), the process's thread settings
 * ({@link io.share4v.backend.nd4j.Nd4jRuntime}) and {@link io.share4v.backend.nd4j.KernelBench}. The only module
 * that needs ND4J, JavaCPP and OpenBLAS: the tensor seam and the model compile without it and run on the
 * {@code java} backend.
 */
package io.share4v.backend.nd4j;
