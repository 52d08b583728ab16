package io.share4v.train.collective;

/**
 * A test seam of {@link TcpRingCollective}: called on the sending and on the receiving thread before each chunk,
 * to inject delays (the result must not depend on timing), a crash (throw) or a hang (block).
 */
@FunctionalInterface
interface ChunkHook {
    ChunkHook NONE = (sending, step, chunk) -> {};

    /** Before chunk {@code chunk} of ring step {@code step} is sent ({@code sending}) or received. */
    void beforeChunk(boolean sending, int step, int chunk) throws InterruptedException;
}
