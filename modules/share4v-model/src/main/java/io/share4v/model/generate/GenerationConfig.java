package io.share4v.model.generate;

import java.util.List;

/**
 * Decoding settings, as HF {@code generate} reads them (transformers 4.31). {@code temperature == 0} is greedy
 * ({@code do_sample=False}: argmax, the first index on ties); otherwise the scores go through HF's warpers in its
 * order, temperature, top-k ({@code topK == 0}: off; HF's {@code GenerationConfig} default is 50), top-p
 * ({@code topP == 1}: off), and a token is drawn from the softmax with a {@code seed}ed RNG (reproducible run to
 * run, not PyTorch's stream). {@code stopStrings} are the {@code KeywordsStoppingCriteria} keywords (e.g.
 * {@code "</s>"} for TWO-style templates; they need a tokenizer). EOS always stops.
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, int topK, long seed,
                               List<String> stopStrings) {
    /** HF {@code GenerationConfig.top_k} default, applied whenever HF samples. */
    public static final int HF_DEFAULT_TOP_K = 50;

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens = " + maxNewTokens + " is invalid: expected >= 1");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature = " + temperature + " is invalid: expected a finite"
                    + " value >= 0 (0 = greedy)");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p = " + topP + " is invalid: expected (0, 1]");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k = " + topK + " is invalid: expected >= 0 (0 = off)");
        }
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
