package io.share4v.tensor.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reusable off-heap scratch, one per slot and dtype, grown to the largest request and then kept: after the
 * first call of each size no kernel allocates native memory, so a training step's footprint is flat. Each
 * concurrent user takes its own slot.
 */
final class Scratch {
    private final FloatPointer[] floats;
    private final DoublePointer[] doubles;
    private long allocations;

    Scratch(int slots) {
        floats = new FloatPointer[slots];
        doubles = new DoublePointer[slots];
    }

    /** At least {@code n} elements of slot {@code slot}; contents undefined. The returned pointer's position is 0. */
    synchronized Pointer get(int slot, DataType type, long n) {
        if (type == DataType.FLOAT) {
            FloatPointer p = floats[slot];
            if (p == null || p.capacity() < n) {
                if (p != null) {
                    p.close();
                }
                p = new FloatPointer(Math.max(n, 1));
                allocations++;
                floats[slot] = p;
            }
            return p.position(0);
        }
        DoublePointer p = doubles[slot];
        if (p == null || p.capacity() < n) {
            if (p != null) {
                p.close();
            }
            p = new DoublePointer(Math.max(n, 1));
            allocations++;
            doubles[slot] = p;
        }
        return p.position(0);
    }

    /** How many native blocks this pool has allocated so far (flat after warm-up). */
    long allocations() {
        return allocations;
    }

    /** Bytes currently held (for the memory tests and logs). */
    long bytes() {
        long total = 0;
        for (FloatPointer p : floats) {
            total += p == null ? 0 : p.capacity() * 4;
        }
        for (DoublePointer p : doubles) {
            total += p == null ? 0 : p.capacity() * 8;
        }
        return total;
    }
}
