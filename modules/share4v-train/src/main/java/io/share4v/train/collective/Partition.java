package io.share4v.train.collective;

import io.share4v.tensor.ParamLayout.Range;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How the trainable elements of a flat buffer are split into {@code world} shards, one per rank: the unit of work
 * of the collective (rank r ends a reduce-scatter owning the sum of shard r) and of the sharded optimizer (rank r
 * updates only shard r of the master weights and moments).
 *
 * <p>The buffer has {@code size} elements; the trainable ones are given as sorted, disjoint element ranges
 * ({@link io.share4v.tensor.ParamLayout#ranges}); the others are frozen, belong to no shard and are never sent.
 * Number the trainable elements 0..T-1 in buffer order; shard r is the contiguous run {@code [cut(r), cut(r+1))}
 * of that numbering, mapped back to element ranges of the buffer (a shard can span a gap of frozen elements, so it
 * is a list of ranges). The cuts are whole multiples of {@code alignment} trainable elements, spread as evenly as
 * that allows: with U = ceil(T / alignment) units, {@code cut(r) = min(T, alignment * floor(U * r / world))}. Shard
 * sizes therefore differ by at most {@code alignment} elements, and when U &lt; world some ranks own an empty
 * shard. With alignment 16, a shard of FLOAT elements starts on a 64-byte boundary of the buffer whenever every
 * trainable range starts and ends on one (the real models' tensors are all multiples of 16 elements), so an optimizer's vector loop
 * over a shard needs no unaligned head.
 *
 * <p>Immutable; equal partitions (same size, world, alignment and ranges) describe the same split on every rank.
 */
public final class Partition implements Sharding {
    /** The alignment unit of shard boundaries, in elements: 16 floats = one 64-byte cache line or AVX-512 vector. */
    public static final int DEFAULT_ALIGNMENT = 16;
    /** What {@link #owner} answers for a frozen element. */
    public static final int FROZEN = -1;

    private final long size;
    private final int world;
    private final int alignment;
    private final List<Range> trainable;
    /** Trainable index of the first element of {@code trainable.get(j)}. */
    private final long[] trainableBefore;

    private final long trainableSize;
    /** {@code world + 1} cut points in the trainable numbering. */
    private final long[] cuts;

    private final List<List<Range>> shards;
    private final int hash;

    private Partition(long size, List<Range> ranges, int world, int alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("a partition of a buffer of " + size + " elements: expected >= 0");
        }
        if (world < 1) {
            throw new IllegalArgumentException("a partition over " + world + " ranks: expected >= 1");
        }
        if (alignment < 1) {
            throw new IllegalArgumentException("a partition aligned to " + alignment + " elements: expected >= 1");
        }
        this.size = size;
        this.world = world;
        this.alignment = alignment;
        this.trainable = Collections.unmodifiableList(mergedAndChecked(ranges, size));
        this.trainableBefore = new long[trainable.size()];
        long t = 0;
        for (int j = 0; j < trainable.size(); j++) {
            trainableBefore[j] = t;
            t += trainable.get(j).size();
        }
        this.trainableSize = t;
        this.cuts = cuts(t, world, alignment);
        List<List<Range>> s = new ArrayList<>(world);
        for (int r = 0; r < world; r++) {
            s.add(Collections.unmodifiableList(elementRanges(cuts[r], cuts[r + 1])));
        }
        this.shards = Collections.unmodifiableList(s);
        this.hash = hash(size, world, alignment, trainable);
    }

    /** Shards of the {@code trainable} ranges of a buffer of {@code size} elements, {@link #DEFAULT_ALIGNMENT}. */
    public static Partition of(long size, List<Range> trainable, int world) {
        return new Partition(size, trainable, world, DEFAULT_ALIGNMENT);
    }

    /** As {@link #of(long, List, int)} with another alignment unit (1 = no alignment). */
    public static Partition of(long size, List<Range> trainable, int world, int alignment) {
        return new Partition(size, trainable, world, alignment);
    }

    /** Every element trainable. */
    public static Partition whole(long size, int world) {
        return of(size, size == 0 ? List.of() : List.of(new Range(0, size)), world);
    }

    /** Elements of the flat buffer, frozen ones included. */
    @Override
    public long size() {
        return size;
    }

    @Override
    public int world() {
        return world;
    }

    public int alignment() {
        return alignment;
    }

    /** The trainable ranges, sorted, with adjacent ranges merged. */
    @Override
    public List<Range> trainable() {
        return trainable;
    }

    /** The number of trainable elements (the sum of all shard sizes). */
    public long trainableSize() {
        return trainableSize;
    }

    /** The element ranges of the buffer that rank {@code rank} owns, in buffer order (empty for an empty shard). */
    @Override
    public List<Range> shard(int rank) {
        return shards.get(checkRank(rank));
    }

    /** The number of elements rank {@code rank} owns. */
    public long shardSize(int rank) {
        checkRank(rank);
        return cuts[rank + 1] - cuts[rank];
    }

    /** The largest shard's size: what a per-shard buffer (optimizer moments) must hold. */
    public long maxShardSize() {
        long max = 0;
        for (int r = 0; r < world; r++) {
            max = Math.max(max, shardSize(r));
        }
        return max;
    }

    /** The rank owning buffer element {@code element}, or {@link #FROZEN} when the element is not trainable. */
    public int owner(long element) {
        if (element < 0 || element >= size) {
            throw new IndexOutOfBoundsException("element " + element + " is outside a buffer of " + size);
        }
        int j = lastRangeStartingAtOrBefore(element);
        if (j < 0 || element >= trainable.get(j).end()) {
            return FROZEN;
        }
        long t = trainableBefore[j] + element - trainable.get(j).start();
        // the owner is the rank whose [cut(r), cut(r+1)) holds t: the last r with cut(r) <= t (empty shards before
        // it share its cut; t < T = cut(world) makes its own shard non-empty)
        int lo = 0;
        int hi = world - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cuts[mid] <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Partition p
                && p.size == size
                && p.world == world
                && p.alignment == alignment
                && p.trainable.equals(trainable);
    }

    /** The same on every JVM for equal partitions: ranks send it to check that they split the buffer alike. */
    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Partition[size " + size + ", " + trainableSize + " trainable in " + trainable.size() + " ranges, world "
                + world + ", alignment " + alignment + "]";
    }

    private int checkRank(int rank) {
        if (rank < 0 || rank >= world) {
            throw new IndexOutOfBoundsException("rank " + rank + " is outside a world of " + world);
        }
        return rank;
    }

    private int lastRangeStartingAtOrBefore(long element) {
        int lo = 0;
        int hi = trainable.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (trainable.get(mid).start() <= element) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The buffer ranges of trainable indices {@code [from, to)}. */
    private List<Range> elementRanges(long from, long to) {
        List<Range> out = new ArrayList<>();
        for (int j = 0; j < trainable.size() && from < to; j++) {
            Range r = trainable.get(j);
            long first = trainableBefore[j];
            long last = first + r.size();
            if (last <= from) {
                continue;
            }
            long start = r.start() + (from - first);
            long end = r.start() + (Math.min(to, last) - first);
            out.add(new Range(start, end));
            from = Math.min(to, last);
        }
        return out;
    }

    /**
     * Spelled out rather than left to {@code List.hashCode} of records (whose algorithm is unspecified), because
     * ranks compare it across JVMs to check that they use the same partition.
     */
    private static int hash(long size, int world, int alignment, List<Range> ranges) {
        int h = Objects.hash(size, world, alignment);
        for (Range r : ranges) {
            h = 31 * (31 * h + Long.hashCode(r.start())) + Long.hashCode(r.end());
        }
        return h;
    }

    private static long[] cuts(long trainable, int world, int alignment) {
        long units = (trainable + alignment - 1) / alignment;
        long[] cuts = new long[world + 1];
        for (int r = 0; r <= world; r++) {
            // floor(units * r / world) without overflowing units * r
            long unitCut = (units / world) * r + (units % world) * r / world;
            cuts[r] = Math.min(trainable, unitCut * alignment);
        }
        return cuts;
    }

    private static List<Range> mergedAndChecked(List<Range> ranges, long size) {
        List<Range> out = new ArrayList<>(ranges.size());
        long previousEnd = 0;
        for (Range r : ranges) {
            if (r.start() < previousEnd || r.end() <= r.start() || r.end() > size) {
                throw new IllegalArgumentException("trainable range [" + r.start() + ", " + r.end() + ") after "
                        + previousEnd + " is invalid: expected non-empty, sorted, disjoint ranges inside [0, " + size
                        + ")");
            }
            if (!out.isEmpty() && out.get(out.size() - 1).end() == r.start()) {
                out.set(out.size() - 1, new Range(out.get(out.size() - 1).start(), r.end()));
            } else {
                out.add(r);
            }
            previousEnd = r.end();
        }
        return out;
    }
}
