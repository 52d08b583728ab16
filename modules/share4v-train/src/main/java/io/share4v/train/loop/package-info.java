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
 * <h2>Gradient buckets and overlap</h2>
 *
 * As DDP does, the trainable gradient elements are cut into buckets of about {@code collective.bucket_mb} (25 MiB,
 * DDP's {@code bucket_cap_mb}) from the top of the flat buffer down ({@link io.share4v.train.collective.BucketPlan}):
 * the LLM's head and last layers first, the embeddings and the vision tower last, the order in which the backward
 * finishes them. Each bucket is its own {@link io.share4v.train.collective.Partition}, so every rank owns a fixed
 * part of every bucket and the ring's summation order of every element is fixed by the world size and the bucket
 * plan, never by timing; the rank's optimizer shard, its clipping sum and its checkpoint are the union of its parts
 * (the plan does not depend on the world size, so N workers = 1 worker holds as above; {@code bucket_mb} is part of
 * the resume key because it decides which elements each shard holds).
 *
 * <p>With {@code collective.overlap} (the default) the last micro-batch's backward reports its progress through
 * {@link io.share4v.model.llava.GradientsReady} (a low-water mark: after lm_head and the norm, each decoder layer,
 * embed_tokens, the projector, each trained tower layer), and {@link io.share4v.train.loop.RankStep} hands each
 * bucket whose elements are all final to its communication thread, which reduce-scatters the buckets in order
 * while the backward goes on; after the backward the step waits for the rest, then clips, updates and all-gathers
 * bucket by bucket. Without overlap the same buckets are reduced in the same order after the backward: the two give
 * bit-identical parameters (tested, both stages). A bucket that fails on the communication thread (a dead peer)
 * stops the backward at its next mark and fails the step with the cause, within the collective's timeouts.
 * {@link io.share4v.train.loop.StepMetrics#communicationNanos} is the communication that was not hidden (collective
 * calls on the step thread and the wait for buckets after the backward),
 * {@link io.share4v.train.loop.StepMetrics#overlappedCommunicationNanos} the reduce-scatter time that ran behind
 * the backward.
 *
 * <p>What it costs and what it cannot do: one more thread per rank; only the last micro-batch's backward is
 * overlapped (earlier ones still accumulate, as DDP's {@code no_sync}), so with accumulation A at most about 1/A of
 * the backward can hide the reduce-scatter; the all-gather after the optimizer is not overlapped (ZeRO overlaps it
 * with the next forward; not built); each bucket costs a call header and a pipeline fill in both halves (a 7B
 * stage-1 model has about 1000 buckets of 25 MiB). On a CPU host the ring's reduction loop and socket copies
 * compete with the backward for the same cores, so overlap hides waiting (for the network, for slower peers) more
 * than it hides work; on GPUs the collective runs beside the kernels. Measured on one 2-core machine over loopback:
 * see {@code docs/benchmarks.md} ("Overlap of the gradient reduce-scatter with the backward").
 */
package io.share4v.train.loop;
