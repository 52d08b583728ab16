package io.share4v.eval.job;

import java.io.Serializable;

/**
 * One benchmark of a run as the tasks see it: where its questions, images and part files are, its token budget and
 * the plan (chunk count, question count, the question file's SHA-256, which each task checks before answering).
 */
public record BenchmarkTask(
        String benchmark,
        String questions,
        String imageFolder,
        int maxNewTokens,
        String partsDir,
        int questionCount,
        int chunks,
        String sha256)
        implements Serializable {
    public ChunkPlan plan() {
        return new ChunkPlan(questionCount, chunks);
    }
}
