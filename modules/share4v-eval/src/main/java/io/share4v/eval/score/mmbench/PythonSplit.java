package io.share4v.eval.score.mmbench;

import java.util.ArrayList;
import java.util.List;

/** Python's {@code str.split()} without arguments: runs of Unicode whitespace separate, empty tokens dropped. */
final class PythonSplit {
    private PythonSplit() {}

    static List<String> split(String s) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isPythonSpace(s.charAt(i))) {
                if (start >= 0) {
                    tokens.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            tokens.add(s.substring(start));
        }
        return tokens;
    }

    /** {@code str.isspace()} for one character: ASCII 9-13 and 28-32, NEL, and Unicode's space separators. */
    private static boolean isPythonSpace(char c) {
        return (c >= '\t' && c <= '\r')
                || (c >= 0x1c && c <= ' ')
                || c == 0x85
                || c == 0xa0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }
}
