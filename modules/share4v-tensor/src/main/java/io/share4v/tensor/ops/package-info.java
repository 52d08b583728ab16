/**
 * Pipeline position: foundation for the model (and later the trainer). Every numeric kernel the model uses,
 * behind one small interface ({@link io.share4v.tensor.ops.Kernels}) so that a GPU backend can replace the
 * ND4J CPU one without touching model code. A scalar reference implementation is kept in main code as the
 * oracle every optimised kernel is tested against.
 */
package io.share4v.tensor.ops;
