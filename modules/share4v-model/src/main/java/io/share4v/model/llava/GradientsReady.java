package io.share4v.model.llava;

/**
 * Told by {@link LlavaModel#trainStep(Batch, double, double, GradientsReady)} as the backward finishes parameter
 * gradients, so that a data-parallel trainer can start summing them across workers while the backward goes on
 * (as DDP reduces its gradient buckets).
 *
 * <p>The backward reaches the flat buffer's tensors in (nearly) decreasing offset: {@code lm_head} and the final
 * norm, the decoder layers from the top down, {@code embed_tokens} (the multimodal splice, after the decoder),
 * the projector, the vision layers from the top down, the tower's embeddings. So readiness is one number, a
 * low-water mark: {@code finalFrom(x)} says that every gradient element at flat offset {@code >= x} is complete
 * for this backward and will not be read or written by it again. Within one backward the calls are non-increasing
 * and the last one is {@code finalFrom(0)} (also when the backward has nothing to do: a batch without a
 * supervised token). Frozen ranges have no gradient: the mark says nothing about them.
 */
@FunctionalInterface
public interface GradientsReady {
    /** Every gradient element at flat offset {@code >= flatOffset} is final for this backward. */
    void finalFrom(long flatOffset);
}
