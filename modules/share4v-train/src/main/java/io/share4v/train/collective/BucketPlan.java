package io.share4v.train.collective;

import io.share4v.tensor.ParamLayout.Range;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The trainable elements of a flat gradient buffer cut into buckets that are reduced one after the other, as
 * DDP's gradient buckets: bucket 0 holds the topmost {@code bucketElements} trainable elements of the buffer,
 * bucket 1 the next ones down, and so on, because a backward pass finishes gradients from the top of the buffer
 * down (the LLM's head first, the vision tower last), so the top buckets can be reduced while the backward still
 * works on the lower ones. Each bucket is its own {@link Partition} (every rank owns a fixed part of every bucket),
 * so the order in which the ring adds the ranks' values for an element is fixed by the world size and this plan,
 * never by timing, and reducing the buckets during the backward or after it gives bit-identical sums.
 *
 * <p>A bucket's lower boundary is cut at a multiple of {@link Partition#DEFAULT_ALIGNMENT} elements of the buffer
 * (or at the start of a trainable range), so buckets hold {@code bucketElements} to {@code bucketElements + 15}
 * elements, the bottom one what is left, and the shards inside stay 64-byte aligned when the trainable ranges are.
 * The plan does not depend on the world size; its partitions do.
 *
 * <p>Rank r's shard is the union of its parts of all buckets ({@link #shard}): what its optimizer updates, its
 * clipping sums and its checkpoint saves. Immutable.
 */
public final class BucketPlan implements Sharding {
    private final long size;
    private final int world;
    private final long bucketElements;
    private final List<Range> trainable;
    private final List<Partition> buckets;
    private final List<List<Range>> shards;

    private BucketPlan(long size, List<Range> ranges, int world, long bucketElements) {
        if (bucketElements < 1) {
            throw new IllegalArgumentException("gradient buckets of " + bucketElements + " elements: expected >= 1");
        }
        this.size = size;
        this.world = world;
        this.bucketElements = bucketElements;
        // a partition of everything checks size, world and ranges, and merges adjacent ranges
        this.trainable = Partition.of(size, ranges, world).trainable();
        List<Partition> b = new ArrayList<>();
        for (List<Range> bucket : cut(trainable, bucketElements)) {
            b.add(Partition.of(size, bucket, world));
        }
        this.buckets = Collections.unmodifiableList(b);
        List<List<Range>> s = new ArrayList<>(world);
        for (int r = 0; r < world; r++) {
            s.add(Collections.unmodifiableList(union(buckets, r)));
        }
        this.shards = Collections.unmodifiableList(s);
    }

    /**
     * Buckets of about {@code bucketElements} of the {@code trainable} ranges (sorted, disjoint) of a buffer of
     * {@code size} elements, each split over {@code world} ranks.
     */
    public static BucketPlan of(long size, List<Range> trainable, int world, long bucketElements) {
        return new BucketPlan(size, trainable, world, bucketElements);
    }

    /**
     * The same buckets split over {@code otherWorld} ranks: the cuts do not depend on the world size, so a rank of a
     * run with another number of workers finds here which elements each rank of the saved world owned.
     */
    public BucketPlan withWorld(int otherWorld) {
        return new BucketPlan(size, trainable, otherWorld, bucketElements);
    }

    /** The buckets, topmost first: the order in which they are reduced. */
    public List<Partition> buckets() {
        return buckets;
    }

    /** The lowest buffer element of bucket {@code bucket}: once the backward is done down to it, it can be reduced. */
    public long lowestElement(int bucket) {
        return buckets.get(bucket).trainable().get(0).start();
    }

    /** The bucket size this plan was cut to, in elements. */
    public long bucketElements() {
        return bucketElements;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int world() {
        return world;
    }

    @Override
    public List<Range> trainable() {
        return trainable;
    }

    /** Rank {@code rank}'s parts of every bucket, in buffer order, adjacent parts merged. */
    @Override
    public List<Range> shard(int rank) {
        if (rank < 0 || rank >= world) {
            throw new IndexOutOfBoundsException("rank " + rank + " is outside a world of " + world);
        }
        return shards.get(rank);
    }

    /** The number of elements rank {@code rank} owns. */
    public long shardSize(int rank) {
        return shard(rank).stream().mapToLong(Range::size).sum();
    }

    @Override
    public String toString() {
        return "BucketPlan[" + buckets.size() + " buckets of " + bucketElements + " elements over "
                + trainable.stream().mapToLong(Range::size).sum() + " trainable of " + size + ", world " + world
                + "]";
    }

    /** The buckets' ranges, topmost bucket first, each bucket's ranges in buffer order. */
    private static List<List<Range>> cut(List<Range> trainable, long bucketElements) {
        List<List<Range>> out = new ArrayList<>();
        List<Range> bucket = new ArrayList<>();
        long missing = bucketElements;
        for (int j = trainable.size() - 1; j >= 0; j--) {
            Range r = trainable.get(j);
            long end = r.end();
            while (end > r.start()) {
                long cut = Math.max(r.start(), end - missing);
                if (cut > r.start()) {
                    cut = Math.max(r.start(), cut / Partition.DEFAULT_ALIGNMENT * Partition.DEFAULT_ALIGNMENT);
                }
                bucket.add(new Range(cut, end));
                missing -= end - cut;
                end = cut;
                if (missing <= 0) {
                    out.add(ascending(bucket));
                    bucket = new ArrayList<>();
                    missing = bucketElements;
                }
            }
        }
        if (!bucket.isEmpty()) {
            out.add(ascending(bucket));
        }
        return out;
    }

    private static List<Range> ascending(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::start));
        return sorted;
    }

    private static List<Range> union(List<Partition> buckets, int rank) {
        List<Range> all = new ArrayList<>();
        for (Partition p : buckets) {
            all.addAll(p.shard(rank));
        }
        all.sort(Comparator.comparingLong(Range::start));
        List<Range> merged = new ArrayList<>(all.size());
        for (Range r : all) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.end() == r.start()) {
                merged.set(merged.size() - 1, new Range(last.start(), r.end()));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }
}
