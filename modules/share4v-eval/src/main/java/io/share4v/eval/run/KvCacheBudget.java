package io.share4v.eval.run;

import io.share4v.model.config.LlamaConfig;
import java.util.Locale;

/**
 * The generator's KV cache against a byte budget: {@code 2 (K, V) x layers x batch x positions x kv_dim x
 * bytes per value}, positions = longest spliced prompt + max_new_tokens - 1. For LLaVA-1.5-7B / ShareGPT4V-7B
 * (32 layers, kv_dim 4096) that is 1 MiB per position and sample in float32: a 1024-token runner with a 700-position
 * prompt (576 image tokens + the text) needs 1.68 GiB per sample, 13.5 GiB at batch 8; a 128-token runner on POPE
 * (prompts of 637..640 positions) 0.75 GiB per sample, 6.0 GiB at batch 8. A batch size whose cache does not fit is
 * refused (not silently lowered: the batch size is the user's throughput/memory choice), naming the numbers and the
 * largest batch size that fits.
 */
record KvCacheBudget(long budgetBytes) {
    KvCacheBudget {
        if (budgetBytes < 1) {
            throw new IllegalArgumentException("eval.kv_cache_budget_bytes must be >= 1, got " + budgetBytes);
        }
    }

    static long bytes(LlamaConfig llm, int batch, int positions, int bytesPerValue) {
        return 2L * llm.numLayers() * batch * positions * llm.kvDim() * bytesPerValue;
    }

    /** Throws when {@code batch} samples of {@code positions} do not fit; the message gives every factor. */
    void check(LlamaConfig llm, int batch, int positions, int bytesPerValue, String why) {
        long need = bytes(llm, batch, positions, bytesPerValue);
        if (need <= budgetBytes) {
            return;
        }
        long perSample = bytes(llm, 1, positions, bytesPerValue);
        long fits = budgetBytes / perSample;
        throw new IllegalArgumentException(String.format(
                Locale.ROOT,
                "eval.batch_size %d needs a KV cache of %s (2 x %d layers x %d samples x %d positions x kv_dim %d x"
                        + " %d bytes; positions = %s) but eval.kv_cache_budget_bytes is %s; %s",
                batch,
                gib(need),
                llm.numLayers(),
                batch,
                positions,
                llm.kvDim(),
                bytesPerValue,
                why,
                gib(budgetBytes),
                fits >= 1
                        ? "batch size <= " + fits + " fits"
                        : "not even one sample fits (" + gib(perSample) + "): raise the budget or lower"
                                + " max_new_tokens"));
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB (%d bytes)", bytes / (double) (1L << 30), bytes);
    }
}
