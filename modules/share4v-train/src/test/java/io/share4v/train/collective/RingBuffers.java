package io.share4v.train.collective;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.JavaBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Buffers, partitions and reference sums for the ring tests. */
final class RingBuffers {
    private static final JavaBackend BACKEND = new JavaBackend();

    private RingBuffers() {}

    /** Short timeouts and 16-float chunks, so small buffers still go through many chunks. */
    static TcpRingCollective.Settings settings() {
        return new TcpRingCollective.Settings(Duration.ofSeconds(20), Duration.ofSeconds(20), 64, 0);
    }

    static Tensor tensor(float[] values) {
        Tensor t = BACKEND.allocate(DType.FLOAT, values.length);
        BACKEND.upload(t, values);
        return t;
    }

    static float[] values(Tensor t) {
        float[] out = new float[(int) t.length()];
        BACKEND.download(out, t);
        return out;
    }

    /** Trainable ranges with frozen gaps at the start, in the middle and at the end of a buffer of {@code size}. */
    static List<Range> gappy(int size) {
        List<Range> out = new ArrayList<>();
        int at = Math.min(size, 3);
        while (at < size) {
            int end = Math.min(size, at + 41);
            out.add(new Range(at, end));
            at = end + 7;
        }
        if (!out.isEmpty() && out.get(out.size() - 1).end() == size && size > 10) {
            Range last = out.remove(out.size() - 1);
            if (last.size() > 2) {
                out.add(new Range(last.start(), size - 2));
            }
        }
        return out;
    }

    /**
     * The sum over ranks of element {@code e} in the documented ring order: for shard k, rank k+1's value, plus
     * rank k+2's, ..., plus rank k's last (indices mod world), left to right in float.
     */
    static float ringSum(float[][] inputs, Partition p, long e) {
        int world = inputs.length;
        int k = p.owner(e);
        float acc = inputs[(k + 1) % world][(int) e];
        for (int j = 2; j <= world; j++) {
            acc = acc + inputs[(k + j) % world][(int) e];
        }
        return acc;
    }
}
