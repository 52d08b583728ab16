/**
 * Pipeline position: foundation. The backend-neutral {@link io.share4v.tensor.Tensor} (a contiguous view of a
 * {@link io.share4v.tensor.Storage}) that the model is moving onto, array files ({@code .npy}, {@code .npz}),
 * {@link io.share4v.tensor.ParamLayout} (one flat buffer, named views) and the ND4J row views the model uses today.
 */
package io.share4v.tensor;
