package io.share4v.eval.score.pope;

import java.util.Arrays;
import java.util.List;

/**
 * A model answer read as yes or no, as LLaVA's {@code eval_pope.py} does: only the text before the first period
 * counts, commas are deleted, the rest is split on single spaces, and it is "no" exactly when a piece is {@code No},
 * {@code not} or {@code no}. Everything else is "yes", so "None", "Nope" and "NO" count as yes.
 */
public final class PopeAnswer {
    private static final List<String> NO_WORDS = List.of("No", "not", "no");

    private PopeAnswer() {}

    public static boolean saysYes(String answer) {
        int period = answer.indexOf('.');
        String firstSentence = period >= 0 ? answer.substring(0, period) : answer;
        return Arrays.stream(firstSentence.replace(",", "").split(" ", -1)).noneMatch(NO_WORDS::contains);
    }
}
