/**
 * The trainer's optimizer: {@link io.share4v.train.optim.ShardedAdamW}, the ZeRO-1/2 AdamW of one rank (moments for
 * its own shard of the trainable elements only; the update formula is {@link io.share4v.tensor.optim.AdamW}'s), and
 * {@link io.share4v.train.optim.GradientClipping} by global norm over sharded gradients.
 */
package io.share4v.train.optim;
