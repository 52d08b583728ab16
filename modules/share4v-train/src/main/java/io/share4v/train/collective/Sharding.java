package io.share4v.train.collective;

import io.share4v.tensor.ParamLayout.Range;
import java.util.List;

/**
 * Which trainable elements of a flat buffer each rank owns: after the gradients are reduce-scattered, rank r holds
 * the summed gradient exactly on {@link #shard}{@code (r)}, so that is what its optimizer updates, its clipping
 * sums and its checkpoint saves. One {@link Partition} is the simplest sharding (one contiguous run of the
 * trainable elements per rank); a {@link BucketPlan} is the union of each rank's parts of several partitions.
 */
public interface Sharding {
    /** Elements of the flat buffer, frozen ones included. */
    long size();

    int world();

    /** The trainable ranges, sorted, disjoint, adjacent ones merged. */
    List<Range> trainable();

    /** The element ranges rank {@code rank} owns, sorted, disjoint (empty for an empty shard). */
    List<Range> shard(int rank);
}
