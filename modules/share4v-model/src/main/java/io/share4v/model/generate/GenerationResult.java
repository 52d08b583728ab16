package io.share4v.model.generate;

import java.util.List;

/**
 * Every prompt's continuation, in prompt order, and where the time went: {@code prefillNanos} covers the vision
 * tower, the splice and the prompt pass that fills the caches (and the first token's logits);
 * {@code decodeNanos} the {@code decodeTokens} later single-token steps (one token per live sample per step).
 */
public record GenerationResult(
        List<GeneratedSequence> sequences, long prefillNanos, long decodeNanos, long decodeTokens) {
    public GenerationResult {
        sequences = List.copyOf(sequences);
    }

    public double prefillMillis() {
        return prefillNanos / 1e6;
    }

    /** Tokens produced per second by the decode steps (NaN when nothing was decoded after the prefill). */
    public double decodeTokensPerSecond() {
        return decodeTokens == 0 ? Double.NaN : decodeTokens / (decodeNanos / 1e9);
    }
}
