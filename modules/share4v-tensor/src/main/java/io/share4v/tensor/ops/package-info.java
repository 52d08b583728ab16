/**
 * Pipeline position: foundation for the model (and later the trainer). Every numeric kernel the model uses,
 * behind one small interface ({@link io.share4v.tensor.ops.Kernels}) so that a GPU backend can replace the
 * host-CPU one ({@link io.share4v.tensor.ops.CpuBlasKernels}: OpenBLAS and Java loops on ND4J's arrays) without
 * touching model code. A scalar reference implementation is kept in main code as the
 * oracle every optimised kernel is tested against.
 */
package io.share4v.tensor.ops;
