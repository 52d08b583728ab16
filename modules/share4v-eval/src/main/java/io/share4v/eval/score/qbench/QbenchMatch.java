package io.share4v.eval.score.qbench;

import java.util.List;

/**
 * Whether a Q-Bench response is correct, as the ShareGPT4V playground's {@code qbench_eval.py} decides: the first
 * character read as an option letter (A = 0) names the correct candidate; or the response's first space-separated
 * word is the correct candidate; or the whole response is.
 */
public final class QbenchMatch {
    private QbenchMatch() {}

    /** {@code response} must not be empty (the reference fails on it: it indexes the first character). */
    public static boolean correct(String response, List<String> candidates, String correctAnswer) {
        int choice = response.codePointAt(0) - 'A';
        if (choice >= 0 && choice < candidates.size() && candidates.get(choice).equals(correctAnswer)) {
            return true;
        }
        int space = response.indexOf(' ');
        String firstWord = space < 0 ? response : response.substring(0, space);
        return firstWord.equals(correctAnswer) || response.equals(correctAnswer);
    }
}
