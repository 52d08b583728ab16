package io.share4v.eval.score.mme;

import java.util.Locale;

/**
 * A model answer read as MME's {@code calculation.py} reads it: lower-cased, then exactly {@code yes} or {@code no};
 * otherwise only the first four characters count: containing {@code yes} makes it yes, else containing {@code no}
 * makes it no (so "not sure" and "None" are no), else it is "other", which is never correct.
 */
public enum MmePrediction {
    YES,
    NO,
    OTHER;

    private static final int PREFIX = 4;

    public static MmePrediction parse(String answer) {
        String a = answer.toLowerCase(Locale.ROOT);
        if (a.equals("yes")) {
            return YES;
        }
        if (a.equals("no")) {
            return NO;
        }
        // Python slices characters (code points), not UTF-16 units.
        String prefix = a.codePointCount(0, a.length()) <= PREFIX ? a : a.substring(0, a.offsetByCodePoints(0, PREFIX));
        if (prefix.contains("yes")) {
            return YES;
        }
        if (prefix.contains("no")) {
            return NO;
        }
        return OTHER;
    }
}
