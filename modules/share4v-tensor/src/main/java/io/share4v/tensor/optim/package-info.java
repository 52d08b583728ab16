/**
 * Pipeline position: between the model's backward and the next forward (model -> train). Optimizers that update
 * the flat parameter buffer in place from the flat gradient buffer, range by range, so freezing, sharding and
 * checkpointing the optimizer state are operations on the same {@link io.share4v.tensor.ParamLayout} ranges as
 * the parameters.
 */
package io.share4v.tensor.optim;
