package io.share4v.data.text;

/**
 * Python's {@code str.isspace()}, which {@code str.strip()} uses: Unicode category Zs or bidirectional class
 * WS, B or S. HF strips with it around special tokens that have lstrip/rstrip set.
 */
final class PythonWhitespace {
    private PythonWhitespace() {}

    static boolean isSpace(int cp) {
        if (Character.getType(cp) == Character.SPACE_SEPARATOR) return true;
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_WHITESPACE || d == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
                || d == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
    }
}
