package io.share4v.tensor;

/**
 * A block of memory that tensors view: owned by one {@code Backend}, on the host or (for a GPU backend) on a
 * device. Model code never reads a storage directly; it asks the backend to move data in or out.
 */
public interface Storage {
    /** Size in bytes. */
    long bytes();

    /** True for memory the JVM can read (a host backend's); false for device memory. */
    boolean isHost();

    /** The backend that allocated this storage and whose kernels may read and write it. */
    String backend();
}
