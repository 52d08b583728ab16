package io.share4v.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Row views of preallocated buffers: the one way model code takes "the first n rows" or "rows [start, start+n)"
 * of an activation, gradient or scratch buffer for a batch smaller than its capacity.
 *
 * <p>Contract: the result is a view, never a copy (writes through it land in {@code a}), and for a C-ordered
 * {@code a} it is contiguous and C-ordered itself, because it spans whole rows. A "row" is one entry along
 * dimension 0, so the same call serves vectors ({@code [N]}), matrices ({@code [N, C]}) and higher ranks
 * ({@code [B, H, T, T]}).
 */
public final class Views {
    private Views() {}

    /**
     * Entries {@code [start, start + n)} along dimension 0 of {@code a} (every other dimension whole). Asking for
     * all of {@code a} returns {@code a} itself, so callers that cache views per batch size allocate nothing more.
     */
    public static INDArray rows(INDArray a, long start, long n) {
        if (start < 0 || n < 0 || start + n > a.size(0)) {
            throw new IllegalArgumentException(
                    "rows [" + start + ", " + (start + n) + ") are outside the " + a.size(0) + " rows of the array");
        }
        if (start == 0 && n == a.size(0)) {
            return a;
        }
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(start, start + n);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return a.get(index);
    }

    /** The first {@code n} rows of {@code a}: {@code rows(a, 0, n)}. */
    public static INDArray leading(INDArray a, long n) {
        return rows(a, 0, n);
    }

    /** Row {@code r} of a matrix {@code [N, C]} as a vector {@code [C]} (a view). */
    public static INDArray row(INDArray a, long r) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("row(" + r + ") needs a matrix; the array has rank " + a.rank());
        }
        return a.get(NDArrayIndex.point(r), NDArrayIndex.all());
    }
}
