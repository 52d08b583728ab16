package io.share4v.eval.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.share4v.eval.run.AnswerStats;
import java.io.Serializable;

/**
 * What one task did for one benchmark's chunk.
 *
 * @param benchmark the benchmark
 * @param chunk     the chunk index
 * @param questions the chunk's questions
 * @param resumed   answers found in the part file (from an earlier run), not answered again
 * @param stats     the answering of the rest (numbers as {@link AnswerStats})
 */
public record ChunkOutcome(
        String benchmark,
        int chunk,
        int questions,
        int resumed,
        int answered,
        long newTokens,
        long wallNanos,
        long prefillNanos,
        long decodeNanos,
        long imageWaitNanos)
        implements Serializable {
    static ChunkOutcome of(String benchmark, int chunk, int questions, int resumed, AnswerStats s) {
        return new ChunkOutcome(
                benchmark,
                chunk,
                questions,
                resumed,
                s.questions(),
                s.newTokens(),
                s.wallNanos(),
                s.prefillNanos(),
                s.decodeNanos(),
                s.imageWaitNanos());
    }

    @JsonIgnore // derived: the record travels to the driver as JSON
    public AnswerStats stats() {
        return new AnswerStats(answered, newTokens, wallNanos, prefillNanos, decodeNanos, imageWaitNanos);
    }
}
