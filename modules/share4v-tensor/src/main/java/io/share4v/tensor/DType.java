package io.share4v.tensor;

/**
 * Element types of a {@link Tensor}. FLOAT is what training and inference compute in; DOUBLE serves the
 * finite-difference and fp64 parity checks. Reduced-precision storage types (BF16, F16) join when a backend
 * computes in them.
 */
public enum DType {
    FLOAT(4),
    DOUBLE(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
