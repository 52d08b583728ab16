package io.share4v.eval.score.vqa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Python {@code str} operations the reference scorers use, with Python's meaning: {@code strip()} and
 * {@code split()} treat as whitespace what {@code str.isspace} does (Unicode category Zs or bidirectional class WS, B
 * or S, so also U+00A0 and U+001C..U+001F, which Java's {@code strip} keeps), and {@code lower()} is the locale-free
 * Unicode lowercase.
 */
public final class PythonStrings {
    private PythonStrings() {}

    /** Python's {@code str.isspace} for one code point. */
    public static boolean isSpace(int codePoint) {
        if (Character.getType(codePoint) == Character.SPACE_SEPARATOR) {
            return true;
        }
        byte d = Character.getDirectionality(codePoint);
        return d == Character.DIRECTIONALITY_WHITESPACE
                || d == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
                || d == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
    }

    /** {@code s.strip()}. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** {@code s.split()}: the runs of non-whitespace. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < s.length() && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words;
    }

    /** {@code s.lower()}. */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@code s.rstrip(chars)}: trailing characters that are in {@code chars} removed. */
    public static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }
}
