package io.share4v.backend.nd4j;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;

/**
 * Reusable host scratch, one block per slot and element type, grown to the largest request and then kept: after
 * the first call of each size no kernel allocates native memory, so a training step's footprint is flat. Each
 * concurrent user takes its own slot. The blocks are JavaCPP allocations ({@link PointerStorage}) rather than
 * ND4J arrays: the kernels need only an address and buffer windows, JavaCPP counts the blocks in its physical
 * memory figures, and a block that is outgrown is freed at once instead of waiting for the collector.
 */
final class Scratch {
    private final PointerStorage[] floats;
    private final PointerStorage[] doubles;
    private long allocations;

    Scratch(int slots) {
        floats = new PointerStorage[slots];
        doubles = new PointerStorage[slots];
    }

    /** A vector of {@code n} elements of slot {@code slot}; contents undefined. */
    synchronized Tensor get(int slot, DType type, long n) {
        PointerStorage[] pool = type == DType.FLOAT ? floats : doubles;
        long need = Math.max(n, 1) * type.bytes();
        PointerStorage s = pool[slot];
        if (s == null || s.bytes() < need) {
            if (s != null) {
                s.close();
            }
            s = PointerStorage.allocate(Nd4jBackend.NAME, need);
            allocations++;
            pool[slot] = s;
        }
        return Tensor.view(s, type, 0, n);
    }

    /** How many native blocks this pool has allocated so far (flat after warm-up). */
    long allocations() {
        return allocations;
    }

    /** Bytes currently held (for the memory tests and logs). */
    synchronized long bytes() {
        long total = 0;
        for (PointerStorage[] pool : new PointerStorage[][] {floats, doubles}) {
            for (PointerStorage s : pool) {
                total += s == null ? 0 : s.bytes();
            }
        }
        return total;
    }
}
