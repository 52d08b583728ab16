package io.share4v.train.checkpoint;

import io.share4v.tensor.ParamLayout.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a rank's optimizer moments come from in the saved shards. A shard's moments are compact: the elements of
 * its ranges of the flat buffer, range after range in buffer order. A new rank's shard (its ranges under this run's
 * world size) is made of pieces of the saved ranks' shards (their ranges under the saved world size); this computes
 * the copies, each a run of elements contiguous both in a saved file and in the new moments, so a rank reads from
 * each saved file only the slices it owns now. Same world, same ranges: one copy per contiguous run of the shard.
 */
final class ShardSlices {
    private ShardSlices() {}

    /**
     * Copy {@code length} moment elements from compact offset {@code sourceOffset} of saved shard {@code source} to
     * compact offset {@code targetOffset} of the new shard.
     */
    record Copy(int source, long sourceOffset, long targetOffset, long length) {}

    /** A saved shard's range with its compact offset. */
    private record Piece(int source, Range range, long offset) {}

    /**
     * The copies that fill {@code target} (sorted, disjoint ranges) from {@code sources} (saved shard {@code i}'s
     * sorted, disjoint ranges; the shards disjoint from each other), in target order.
     *
     * @throws IllegalArgumentException naming the first element of {@code target} that no saved shard holds
     */
    static List<Copy> plan(List<Range> target, List<List<Range>> sources) {
        List<Piece> pieces = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            long offset = 0;
            for (Range r : sources.get(s)) {
                pieces.add(new Piece(s, r, offset));
                offset += r.size();
            }
        }
        pieces.sort(Comparator.comparingLong(p -> p.range().start()));
        List<Copy> copies = new ArrayList<>();
        int next = 0;
        long targetOffset = 0;
        for (Range t : target) {
            long at = t.start();
            while (at < t.end()) {
                while (next < pieces.size() && pieces.get(next).range().end() <= at) {
                    next++;
                }
                Piece p = next < pieces.size() ? pieces.get(next) : null;
                if (p == null || p.range().start() > at) {
                    throw new IllegalArgumentException("element " + at + " of the flat buffer is in no saved shard");
                }
                long end = Math.min(t.end(), p.range().end());
                add(copies, new Copy(p.source(), p.offset() + at - p.range().start(), targetOffset, end - at));
                targetOffset += end - at;
                at = end;
            }
        }
        return copies;
    }

    /** Appends {@code c}, merged into the last copy when it continues it in both the source and the target. */
    private static void add(List<Copy> copies, Copy c) {
        Copy last = copies.isEmpty() ? null : copies.get(copies.size() - 1);
        if (last != null
                && last.source() == c.source()
                && last.sourceOffset() + last.length() == c.sourceOffset()
                && last.targetOffset() + last.length() == c.targetOffset()) {
            copies.set(
                    copies.size() - 1,
                    new Copy(last.source(), last.sourceOffset(), last.targetOffset(), last.length() + c.length()));
        } else {
            copies.add(c);
        }
    }
}
