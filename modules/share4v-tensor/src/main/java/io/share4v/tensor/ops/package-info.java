/**
 * Pipeline position: foundation for the model (and later the trainer). Every numeric kernel the model uses,
 * behind one small interface on {@link io.share4v.tensor.Tensor}s ({@link io.share4v.tensor.ops.Kernels})
 * so that a GPU backend can replace the host-CPU one (the {@code nd4j} backend's, in its own module: OpenBLAS and
 * Java loops on host memory) without touching model code. The scalar reference implementation
 * ({@link io.share4v.tensor.ops.ScalarKernels}, no native code) is the {@code java} backend's kernel set and the
 * oracle every optimised kernel is tested against.
 */
package io.share4v.tensor.ops;
