/**
 * The step loop: {@link io.share4v.train.loop.RankStep} runs one rank's synchronous optimizer step (micro-batches
 * forward and backward, reduce-scatter, clipping, sharded AdamW, all-gather) and reports
 * {@link io.share4v.train.loop.StepMetrics}.
 *
 * <h2>N workers = 1 worker</h2>
 *
 * At equal global and micro batch, the global batch's micro-batches are the same whatever the world size; only
 * where they are computed changes. Each micro-batch's gradient is scaled by {@code 1 / (accumulation * world)} =
 * {@code micro / global}, the same factor for every world size, and each rank accumulates its micro-batches in
 * their order into its float32 gradient buffer; the ring then adds the ranks' sums in a fixed order (see
 * {@link io.share4v.train.collective.TcpRingCollective}). The result never depends on timing, but it is not
 * bitwise independent of the world size: float additions are grouped differently (one rank adding A micro-batches
 * one after the other, or W ranks each adding A/W and the ring adding those), which changes the last bits of some
 * gradients. Measured on a tiny LLaVA after 3 steps at lr 1e-3 (W = 2 and 4 against 1, both stages): about 96% of
 * the trained elements bitwise equal, {@code max |p_W - p_1| / max |p_1|} about 1e-7, L2 relative difference about
 * 1e-8. Per element it is worse where a gradient is rounding noise or nearly cancels (AdamW divides each gradient
 * by its own running magnitude, so a last-bit difference there becomes one of order lr): up to about 2e-4 of the
 * element's value. Bitwise equality would need a summation order independent of the world size (e.g. every
 * micro-batch gradient reduced separately in global order, at A times the traffic), which this collective's sum
 * of one buffer per rank cannot give.
 *
 * <h2>Overlap (designed, not built yet)</h2>
 *
 * Today the reduce-scatter starts after the last micro-batch's backward. As DDP does, it could start during that
 * backward: cut the trainable elements into buckets of about 25 MB in reverse layer order (the LLM's last layers
 * and head first, the embeddings and the tower last, as the backward finishes them), and when the backward of the
 * last micro-batch has written every gradient of a bucket, reduce-scatter that bucket on the collective's thread
 * while the backward goes on; the optimizer waits for all buckets. Each bucket is its own {@code Partition} (so
 * every rank still owns a fixed part of every bucket and the summation order stays fixed), the model needs a
 * callback as each layer's parameter gradients are complete, and the optimizer's shard becomes the union of the
 * rank's parts of all buckets. Worth it once communication is a sizeable part of the step (many workers, a slow
 * network); on one machine's loopback the gain is small.
 */
package io.share4v.train.loop;
