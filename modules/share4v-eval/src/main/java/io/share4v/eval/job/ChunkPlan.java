package io.share4v.eval.job;

import static io.share4v.common.config.ConfigChecks.require;

/**
 * The reference's multi-GPU split ({@code get_chunk}): {@code questions} in {@code chunks} contiguous chunks of
 * {@code ceil(questions / chunks)}, the last ones shorter or empty; concatenated in chunk order they are the question
 * file again, which the order-dependent scorers (POPE, MME) need.
 */
public record ChunkPlan(int questions, int chunks) {
    public ChunkPlan {
        require(questions >= 0, "questions", questions, ">= 0");
        require(chunks >= 1, "chunks", chunks, ">= 1");
    }

    public int chunkSize() {
        return Math.max(1, (questions + chunks - 1) / chunks);
    }

    /** First question index of chunk {@code i}. */
    public int from(int i) {
        require(i >= 0 && i < chunks, "chunk", i, "0.." + (chunks - 1));
        return Math.min(questions, i * chunkSize());
    }

    /** One past the last question index of chunk {@code i}. */
    public int to(int i) {
        require(i >= 0 && i < chunks, "chunk", i, "0.." + (chunks - 1));
        return Math.min(questions, (i + 1) * chunkSize());
    }
}
