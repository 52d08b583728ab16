package io.share4v.eval.job;

import java.io.Serializable;

/**
 * One benchmark's files ({@code <name>.*} keys of the evaluation config).
 *
 * @param questions    the question file in the reference's format (jsonl, json or TSV)
 * @param imageFolder  the folder the question file's image paths are relative to (null for question files that carry
 *                     their images, MMBench's TSV)
 * @param annotations  the ground truth the scorer reads (a file or directory); null: the answers are not scored
 *                     (unless the scorer needs none, ScienceQA's reads the question file)
 * @param maxNewTokens the token budget; null: the runner's ({@code model_vqa_loader} 128, the others 1024)
 */
public record BenchmarkInputs(String questions, String imageFolder, String annotations, Integer maxNewTokens)
        implements Serializable {
    public static final BenchmarkInputs NONE = new BenchmarkInputs(null, null, null, null);
}
