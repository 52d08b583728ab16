package io.share4v.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} operations the reference's preprocessing relies on, with Python's exact
 * semantics. Java's {@code String.split} takes a regex and drops trailing empty parts, and
 * {@code String.strip} uses a different whitespace set (it keeps U+00A0, U+2007, U+202F, U+0085), so neither
 * can stand in; one wrong part or one stripped character changes the token ids.
 */
public final class PyStr {
    private PyStr() {}

    /** {@code s.split(sep)} with a literal, non-empty separator: keeps every part, including empty ones. */
    static List<String> split(String s, String sep) {
        List<String> parts = new ArrayList<>(4);
        int from = 0;
        int at;
        while ((at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Number of non-overlapping occurrences of {@code sep}, i.e. {@code s.count(sep)}. */
    static int count(String s, String sep) {
        int n = 0;
        int from = 0;
        int at;
        while ((at = s.indexOf(sep, from)) >= 0) {
            n++;
            from = at + sep.length();
        }
        return n;
    }

    /** {@code s.strip()}: removes characters for which Python's {@code str.isspace()} is true. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code s.lstrip(chars)}: removes leading characters that occur anywhere in {@code chars}. */
    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        return s.substring(start);
    }

    /** {@link #isSpace(char)} for a code point; every Python whitespace character is in the BMP. */
    static boolean isSpace(int codePoint) {
        return codePoint <= 0xFFFF && isSpace((char) codePoint);
    }

    /**
     * Python 3's {@code str.isspace()} (bidi class WS/B/S or category Zs), which {@code str.strip()} uses and
     * HF uses around special tokens with lstrip/rstrip. All such code points are in the BMP, so a UTF-16 unit
     * test is exact; surrogates are never whitespace.
     */
    static boolean isSpace(char c) {
        if (c <= 0x20) {
            return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85
                || c == 0xA0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202F
                || c == 0x205F
                || c == 0x3000;
    }
}
