package io.share4v.tensor.ops;

/** Pointwise activations the model uses, with the names HF configs give them. */
public enum Activation {
    /** Exact erf GELU (PyTorch's default nn.GELU; the projector's {@code mlp2x_gelu}). */
    GELU,
    /** {@code x * sigmoid(1.702 x)} (CLIP's {@code quick_gelu}). */
    QUICK_GELU,
    /** {@code x * sigmoid(x)} (LLaMA's {@code silu}). */
    SILU;

    /** Maps an HF {@code hidden_act} / {@code projector} name; unknown names are an error listing the known ones. */
    public static Activation fromHf(String name) {
        return switch (name) {
            case "gelu" -> GELU;
            case "quick_gelu" -> QUICK_GELU;
            case "silu", "swish" -> SILU;
            default ->
                throw new IllegalArgumentException(
                        "unsupported activation '" + name + "'; supported: gelu, quick_gelu, silu");
        };
    }
}
