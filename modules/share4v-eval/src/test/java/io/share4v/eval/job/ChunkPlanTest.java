package io.share4v.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reference's get_chunk: ceil(n / chunks) per chunk, contiguous, the tail short or empty. */
class ChunkPlanTest {
    @Test
    void chunksAreContiguousCeilingSizedAndCoverTheFile() {
        ChunkPlan p = new ChunkPlan(5, 2);
        assertEquals(3, p.chunkSize());
        assertEquals(0, p.from(0));
        assertEquals(3, p.to(0));
        assertEquals(3, p.from(1));
        assertEquals(5, p.to(1));
        ChunkPlan sparse = new ChunkPlan(2, 4);
        assertEquals(1, sparse.chunkSize());
        assertEquals(2, sparse.from(3));
        assertEquals(2, sparse.to(3)); // an empty chunk
        ChunkPlan even = new ChunkPlan(8910, 8);
        assertEquals(1114, even.chunkSize());
        assertEquals(8910, even.to(7));
        assertEquals(7798, even.from(7));
    }
}
