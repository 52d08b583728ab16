/**
 * Pipeline position: foundation. The backend-neutral {@link io.share4v.tensor.Tensor} (a contiguous view of a
 * {@link io.share4v.tensor.Storage}) every parameter, gradient and activation of the model is, array files
 * ({@code .npy}, {@code .npz}) and {@link io.share4v.tensor.ParamLayout} (one flat buffer, named views).
 */
package io.share4v.tensor;
