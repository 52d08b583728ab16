package io.share4v.train.run;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.train.collective.Collective;
import io.share4v.train.collective.Partition;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Checks before step 0 that every rank holds bit-identical parameters: data parallelism silently trains a
 * different model on each rank otherwise (a rank that read other files, another backend's conversion, ...).
 *
 * <p>Each rank hashes its parameter bits to 64 bits and cuts the hash into 8 bytes {@code x}. One tiny all-reduce
 * sums {@code x} and {@code x²} of every byte over the ranks (float32 sums of integers below 2^24: exact for up to
 * 256 ranks). With this rank's byte {@code m}, {@code Σ(x_r - m)² = Σx_r² - 2mΣx_r + W·m²} is zero exactly when
 * every rank has {@code m}; so every rank reaches the same verdict, and none can pass while another fails.
 */
final class ParameterCheck {
    private static final int BYTES = 8;
    private static final int MAX_RANKS = 256;

    private ParameterCheck() {}

    /** @throws IllegalStateException naming this rank when any rank's parameters differ from this rank's */
    static void requireIdentical(Tensor params, Backend backend, Collective collective) {
        if (collective.world() == 1) {
            return;
        }
        if (collective.world() > MAX_RANKS) {
            throw new IllegalStateException("the parameter check sums bytes exactly for up to " + MAX_RANKS
                    + " ranks; this run has " + collective.world());
        }
        long hash = hash(params, backend);
        Tensor sums = backend.allocate(DType.FLOAT, 2 * BYTES);
        FloatBuffer b = sums.floats();
        for (int i = 0; i < BYTES; i++) {
            int x = (int) (hash >>> (8 * i)) & 0xff;
            b.put(i, x);
            b.put(BYTES + i, x * x);
        }
        collective.allReduce(sums, Partition.of(2 * BYTES, List.of(new Range(0, 2 * BYTES)), collective.world(), 1));
        int w = collective.world();
        for (int i = 0; i < BYTES; i++) {
            double m = (hash >>> (8 * i)) & 0xff;
            double spread = b.get(BYTES + i) - 2 * m * b.get(i) + w * m * m;
            if (spread != 0) {
                throw new IllegalStateException("the ranks start from different parameters (rank "
                        + collective.rank() + " of " + w + " hashes its " + params.length()
                        + " parameters to " + Long.toHexString(hash) + ", another rank differs): every rank must"
                        + " load the same weights with the same backend");
            }
        }
    }

    /** FNV-1a over the float bits, in buffer order. */
    static long hash(Tensor params, Backend backend) {
        long h = 0xcbf29ce484222325L;
        int chunk = 1 << 20;
        float[] part = new float[(int) Math.min(chunk, params.length())];
        for (long start = 0; start < params.length(); start += chunk) {
            int n = (int) Math.min(chunk, params.length() - start);
            float[] dst = n == part.length ? part : new float[n];
            backend.download(dst, params.slice(start, n));
            for (float f : dst) {
                h = (h ^ Float.floatToRawIntBits(f)) * 0x100000001b3L;
            }
        }
        return h;
    }
}
