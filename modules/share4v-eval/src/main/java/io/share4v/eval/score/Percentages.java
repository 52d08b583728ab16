package io.share4v.eval.score;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Accuracies as scorers print them: percent, unrounded (the reference scripts round only when printing). */
public final class Percentages {
    private Percentages() {}

    /** {@code key}: 100 part / whole, or null when nothing was scored (a partial file without such answers). */
    public static void put(ObjectNode out, String key, long part, long whole) {
        if (whole == 0) {
            out.putNull(key);
        } else {
            out.put(key, 100.0 * part / whole);
        }
    }
}
