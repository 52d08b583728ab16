package io.share4v.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.JavaBackend;
import io.share4v.tensor.optim.AdamW;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.collective.BucketPlan;
import io.share4v.train.collective.Partition;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ShardedAdamWTest {
    private static final Backend BACKEND = new JavaBackend();
    private static final AdamW.Config CONFIG = new AdamW.Config(1e-2, 0.9, 0.999, 1e-8, 0.0);

    /** 1000 elements, trainable [10, 400) and [600, 990): frozen gaps at both ends and in the middle. */
    private static Partition gappy(int world) {
        return Partition.of(1000, List.of(new Range(10, 400), new Range(600, 990)), world);
    }

    @Test
    void eachRankHoldsMomentsForItsShardOnly() {
        long unsharded = 2L * 780 * Float.BYTES;
        assertEquals(unsharded, ShardedAdamW.of(CONFIG, gappy(1), 0, BACKEND).stateBytes());
        for (int world : new int[] {2, 4}) {
            Partition p = gappy(world);
            long total = 0;
            for (int r = 0; r < world; r++) {
                ShardedAdamW opt = ShardedAdamW.of(CONFIG, p, r, BACKEND);
                long bytes = opt.stateBytes();
                assertEquals(2L * p.shardSize(r) * Float.BYTES, bytes);
                assertEquals(
                        p.shardSize(r), opt.adamw().moments().get("exp_avg").length());
                assertTrue(bytes <= unsharded / world + 2L * Partition.DEFAULT_ALIGNMENT * Float.BYTES, "rank " + r);
                total += bytes;
            }
            assertEquals(unsharded, total, "the shards' moments add up to one optimizer's");
        }
    }

    /**
     * A checkpoint saves and a resume at another world size refills the compact moments as the elements of
     * {@code shard(rank)} in buffer order: that must be the optimizer's own moment order, also when parameter groups
     * cut the shard into more ranges.
     */
    @Test
    void theCompactMomentsFollowTheBucketPlansShardInBufferOrder() {
        List<Range> trainable = List.of(new Range(10, 400), new Range(600, 990));
        List<AdamW.Group> groups = List.of(
                new AdamW.Group(List.of(new Range(600, 990)), 0.0), new AdamW.Group(List.of(new Range(10, 400)), 0.1));
        for (int world : new int[] {1, 2, 3}) {
            BucketPlan plan = BucketPlan.of(1000, trainable, world, 100);
            for (int r = 0; r < world; r++) {
                ShardedAdamW opt = ShardedAdamW.of(CONFIG, groups, plan, r, BACKEND);
                assertEquals(plan.shard(r), merged(opt.adamw().ranges()), "W=" + world + " rank " + r);
            }
        }
    }

    private static List<Range> merged(List<Range> ranges) {
        List<Range> out = new java.util.ArrayList<>();
        for (Range r : ranges) {
            Range last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == r.start()) {
                out.set(out.size() - 1, new Range(last.start(), r.end()));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void shardedUpdatesTogetherEqualOneUnshardedOptimizerBitForBit() {
        int world = 3;
        Partition p = gappy(world);
        // two groups with their own weight decay, cut differently by each rank's shard
        List<AdamW.Group> groups = List.of(
                new AdamW.Group(List.of(new Range(10, 300)), 0.1),
                new AdamW.Group(List.of(new Range(300, 400), new Range(600, 990)), 0.0));
        Tensor params = Tensors.uniform(BACKEND, DType.FLOAT, 1, 1.0, 1000);
        AdamW whole = new AdamW(CONFIG, groups, BACKEND, 1000);
        Tensor wantParams = Tensors.copyOf(BACKEND, params);
        Tensor[] rankParams = new Tensor[world];
        ShardedAdamW[] ranks = new ShardedAdamW[world];
        for (int r = 0; r < world; r++) {
            rankParams[r] = Tensors.copyOf(BACKEND, params);
            ranks[r] = ShardedAdamW.of(CONFIG, groups, p, r, BACKEND);
        }
        for (int step = 0; step < 3; step++) {
            Tensor grads = Tensors.uniform(BACKEND, DType.FLOAT, 10 + step, 1.0, 1000);
            whole.step(wantParams, grads, 1e-2 * (step + 1));
            for (int r = 0; r < world; r++) {
                ranks[r].step(rankParams[r], grads, 1e-2 * (step + 1));
            }
        }
        float[] want = Tensors.floats(wantParams);
        float[] before = Tensors.floats(params);
        for (int r = 0; r < world; r++) {
            float[] got = Tensors.floats(rankParams[r]);
            for (int e = 0; e < 1000; e++) {
                float expected = p.owner(e) == r ? want[e] : before[e];
                assertEquals(expected, got[e], 0f, "rank " + r + " element " + e);
            }
        }
        assertArrayEquals(
                Tensors.floats(whole.expAvg()),
                merged(p, ranks, AdamW::expAvg),
                "the shards' first moments are the whole optimizer's");
    }

    private static float[] merged(Partition p, ShardedAdamW[] ranks, Function<AdamW, Tensor> m) {
        float[] out = new float[(int) p.size()];
        for (int r = 0; r < ranks.length; r++) {
            float[] mine = Tensors.floats(m.apply(ranks[r].adamw()));
            for (int e = 0; e < out.length; e++) {
                if (p.owner(e) == r) {
                    out[e] = mine[e];
                }
            }
        }
        return out;
    }

    @Test
    void aRankWithAnEmptyShardHoldsNothingAndStillCountsSteps() {
        Partition p = Partition.of(100, List.of(new Range(0, 16)), 4); // one alignment unit: ranks 0..2 own nothing
        ShardedAdamW empty = ShardedAdamW.of(CONFIG, p, 0, BACKEND);
        assertEquals(0, empty.stateBytes());
        Tensor params = Tensors.uniform(BACKEND, DType.FLOAT, 3, 1.0, 100);
        float[] before = Tensors.floats(params);
        empty.step(params, Tensors.uniform(BACKEND, DType.FLOAT, 4, 1.0, 100), 0.1);
        assertArrayEquals(before, Tensors.floats(params));
        assertEquals(1, empty.adamw().stepCount());
    }

    @Test
    void rejectsAGroupReachingFrozenElements() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ShardedAdamW.of(
                        CONFIG, List.of(new AdamW.Group(List.of(new Range(350, 650)), 0.0)), gappy(2), 0, BACKEND));
        assertTrue(e.getMessage().contains("[350, 650)") && e.getMessage().contains("frozen"), e.getMessage());
    }
}
