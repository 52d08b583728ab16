package io.share4v.data.image;

/** ShareGPT4V's {@code image_aspect_ratio}: what happens before the CLIP processor (spec §4.2). */
public enum AspectMode {
    /** Stage 2 and most evals: paste onto a square of the CLIP mean colour, then resize (the crop is a no-op). */
    PAD,
    /** Stage 1 and some evals ({@code 'square'} is the dataclass default): shortest-edge resize + centre crop. */
    SQUARE;

    /** Parses the reference's spelling ({@code pad}, {@code square}). */
    public static AspectMode parse(String s) {
        return switch (s) {
            case "pad" -> PAD;
            case "square" -> SQUARE;
            default -> throw new IllegalArgumentException("aspect mode '" + s + "' is not one of: pad, square");
        };
    }
}
