package io.share4v.model.generate;

import static io.share4v.common.config.ConfigChecks.positive;
import static io.share4v.common.config.ConfigChecks.require;

import java.util.List;

/**
 * Decoding settings, as HF {@code generate} reads them (transformers 4.31). {@code temperature == 0} is greedy
 * ({@code do_sample=False}: argmax, the first index on ties); otherwise the scores go through HF's warpers in its
 * order, temperature, top-k ({@code topK == 0}: off; HF's {@code GenerationConfig} default is 50), top-p
 * ({@code topP == 1}: off), and a token is drawn from the softmax with a {@code seed}ed RNG (reproducible run to
 * run, not PyTorch's stream). {@code stopStrings} are the {@code KeywordsStoppingCriteria} keywords (e.g.
 * {@code "</s>"} for TWO-style templates; they need a tokenizer). EOS always stops.
 */
public record GenerationConfig(
        int maxNewTokens, double temperature, double topP, int topK, long seed, List<String> stopStrings) {
    /** HF {@code GenerationConfig.top_k} default, applied whenever HF samples. */
    public static final int HF_DEFAULT_TOP_K = 50;

    public GenerationConfig {
        positive("max_new_tokens", maxNewTokens);
        require(
                temperature >= 0 && !Double.isInfinite(temperature),
                "temperature",
                temperature,
                "a finite value >= 0 (0 = greedy)");
        require(topP > 0 && topP <= 1, "top_p", topP, "(0, 1]");
        require(topK >= 0, "top_k", topK, ">= 0 (0 = off)");
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** Greedy decoding, no stop strings (EOS still stops). */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 1.0, 0, 0, List.of());
    }

    public boolean sampling() {
        return temperature > 0;
    }

    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(maxNewTokens, temperature, topP, topK, seed, stops);
    }
}
