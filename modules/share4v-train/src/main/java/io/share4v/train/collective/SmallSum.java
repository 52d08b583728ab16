package io.share4v.train.collective;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * A few numbers summed over ranks through the collective: a tiny all-reduce in float32 (the collective's element
 * type). Counts stay exact below 2^24; sums of losses and squares carry float32's relative precision (about 6e-8),
 * which is what metrics and a clipping factor need. Every rank calls {@link #acrossRanks} in the same order, as
 * every collective operation.
 */
public final class SmallSum {
    private final Collective collective;
    private final Tensor buffer;
    private final Partition whole;

    /** A sum of {@code slots} numbers over the ranks of {@code collective}, its buffer allocated in {@code backend}. */
    public SmallSum(Backend backend, Collective collective, int slots) {
        this.collective = collective;
        this.buffer = backend.allocate(DType.FLOAT, slots);
        this.whole = Partition.of(slots, List.of(new Range(0, slots)), collective.world(), 1);
    }

    /** Each slot of {@code values} (at most {@code slots} of them) summed over every rank's call. */
    public double[] acrossRanks(double[] values) {
        FloatBuffer b = buffer.floats();
        for (int i = 0; i < values.length; i++) {
            b.put(i, (float) values[i]);
        }
        collective.allReduce(buffer, whole);
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
