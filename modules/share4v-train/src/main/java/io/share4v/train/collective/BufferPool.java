package io.share4v.train.collective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The direct buffers of a collective's calls (receive staging, call headers), taken and given back per call: after
 * the first call every request is served from the pool (best fit, so a small request never takes the big staging
 * buffer from the one that needs it), and a training step allocates no direct memory. It counts what it
 * allocates, so a test can check exactly that.
 */
final class BufferPool {
    private final List<ByteBuffer> free = new ArrayList<>();
    private long allocations;

    /** A little-endian direct buffer with {@code bytes} of room (position 0, limit {@code bytes}). */
    synchronized ByteBuffer take(int bytes) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            int capacity = free.get(i).capacity();
            if (capacity >= bytes && (best < 0 || capacity < free.get(best).capacity())) {
                best = i;
            }
        }
        if (best >= 0) {
            return free.remove(best).clear().limit(bytes);
        }
        allocations++;
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Gives {@code buffer} back (null is ignored, so a {@code finally} can give back what it may not have). */
    synchronized void give(ByteBuffer buffer) {
        if (buffer != null) {
            free.add(buffer);
        }
    }

    /** How many buffers this pool has allocated. */
    synchronized long allocations() {
        return allocations;
    }
}
