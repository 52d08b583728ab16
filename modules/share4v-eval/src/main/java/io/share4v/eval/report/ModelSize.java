package io.share4v.eval.report;

/**
 * The LLaVA-1.5 / ShareGPT4V model sizes the paper reports, told apart by the language model's hidden size in the
 * checkpoint's {@code config.json} (Vicuna-7B: 4096, Vicuna-13B: 5120).
 */
public enum ModelSize {
    SEVEN_B("7B", 4096),
    THIRTEEN_B("13B", 5120);

    private final String label;
    private final int hiddenSize;

    ModelSize(String label, int hiddenSize) {
        this.label = label;
        this.hiddenSize = hiddenSize;
    }

    /** {@code 7B} or {@code 13B}. */
    public String label() {
        return label;
    }

    /** The size with this hidden size, or null. */
    public static ModelSize ofHiddenSize(int hiddenSize) {
        for (ModelSize s : values()) {
            if (s.hiddenSize == hiddenSize) {
                return s;
            }
        }
        return null;
    }

    public int hiddenSize() {
        return hiddenSize;
    }
}
