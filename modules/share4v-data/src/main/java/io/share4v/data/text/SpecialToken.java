package io.share4v.data.text;

/**
 * A special token as transformers 4.31's slow tokenizer sees it: its text and whether it eats the whitespace on
 * its left ({@code lstrip}) or right ({@code rstrip}) when the input is split on it. LlamaTokenizer 4.31 wraps a
 * plain-string special into {@code AddedToken(lstrip=False, rstrip=False)}, so a plain string here means both false.
 */
public record SpecialToken(String content, boolean lstrip, boolean rstrip) {
    public SpecialToken {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException(
                    "special token content must be a non-empty string, got " + (content == null ? "null" : "\"\""));
        }
    }

    public static SpecialToken plain(String content) {
        return new SpecialToken(content, false, false);
    }
}
