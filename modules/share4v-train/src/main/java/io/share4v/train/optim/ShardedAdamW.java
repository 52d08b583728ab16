package io.share4v.train.optim;

import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.optim.AdamW;
import io.share4v.train.collective.Sharding;
import java.util.ArrayList;
import java.util.List;

/**
 * The sharded (ZeRO-1/2) AdamW of one rank: an {@link AdamW} over the ranges of this rank's shard of a
 * {@link Sharding} (a {@link io.share4v.train.collective.Partition}, or the union of the rank's parts of the
 * gradient buckets of a {@link io.share4v.train.collective.BucketPlan}), nothing else.
 *
 * <p>What each rank holds: the whole fp32 parameter buffer (every rank runs the full forward and backward) and the
 * whole fp32 gradient buffer, but the AdamW moments ({@code exp_avg}, {@code exp_avg_sq}) only for the elements of
 * its own shard, compact ({@code 2 * 4 * shardSize} bytes instead of {@code 2 * 4 * trainable}), so optimizer
 * memory is divided by the world size. After the gradients are reduce-scattered, only this rank's shard of the
 * gradient buffer holds the summed gradient; {@link #step} updates exactly that shard of the parameters, and an
 * all-gather then gives every rank every shard. Frozen elements belong to no shard and are never touched.
 *
 * <p>Parameter groups (ranges of the whole buffer with their own weight decay) are cut to the shard, so every
 * element decays as it would in an unsharded optimizer.
 */
public final class ShardedAdamW {
    private final AdamW adamw;
    private final Sharding sharding;
    private final int rank;

    private ShardedAdamW(AdamW adamw, Sharding sharding, int rank) {
        this.adamw = adamw;
        this.sharding = sharding;
        this.rank = rank;
    }

    /** One group: every trainable element with the config's weight decay. */
    public static ShardedAdamW of(AdamW.Config config, Sharding sharding, int rank, Backend backend) {
        return of(
                config, List.of(new AdamW.Group(sharding.trainable(), config.weightDecay())), sharding, rank, backend);
    }

    /**
     * Groups given over the whole buffer (their ranges must lie inside the sharding's trainable ranges), cut to
     * rank {@code rank}'s shard.
     */
    public static ShardedAdamW of(
            AdamW.Config config, List<AdamW.Group> groups, Sharding sharding, int rank, Backend backend) {
        List<Range> shard = sharding.shard(rank);
        List<AdamW.Group> cut = new ArrayList<>();
        for (AdamW.Group g : groups) {
            for (Range r : g.ranges()) {
                long covered = intersect(List.of(r), sharding.trainable()).stream()
                        .mapToLong(Range::size)
                        .sum();
                if (covered != r.size()) {
                    throw new IllegalArgumentException("optimizer group range [" + r.start() + ", " + r.end()
                            + ") reaches frozen elements of " + sharding + ": groups cover trainable elements only");
                }
            }
            cut.add(new AdamW.Group(intersect(g.ranges(), shard), g.weightDecay()));
        }
        return new ShardedAdamW(new AdamW(config, cut, backend, sharding.size()), sharding, rank);
    }

    /**
     * Updates this rank's shard of {@code params} from the same shard of {@code grads} (which must hold the summed
     * gradient there, as after a reduce-scatter) with learning rate {@code lr}.
     */
    public void step(Tensor params, Tensor grads, double lr) {
        adamw.step(params, grads, lr);
    }

    /** The AdamW over this rank's shard: its moments and step count are what a checkpoint of this rank saves. */
    public AdamW adamw() {
        return adamw;
    }

    public Sharding sharding() {
        return sharding;
    }

    public int rank() {
        return rank;
    }

    /** Bytes of this rank's optimizer state (about {@code 1/world} of an unsharded optimizer's). */
    public long stateBytes() {
        return adamw.stateBytes();
    }

    /** The parts of sorted, disjoint {@code a} that lie in sorted, disjoint {@code b}. */
    static List<Range> intersect(List<Range> a, List<Range> b) {
        List<Range> sortedA = new ArrayList<>(a);
        sortedA.sort((x, y) -> Long.compare(x.start(), y.start()));
        List<Range> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < sortedA.size() && j < b.size()) {
            Range x = sortedA.get(i);
            Range y = b.get(j);
            long start = Math.max(x.start(), y.start());
            long end = Math.min(x.end(), y.end());
            if (start < end) {
                out.add(new Range(start, end));
            }
            if (x.end() < y.end()) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }
}
