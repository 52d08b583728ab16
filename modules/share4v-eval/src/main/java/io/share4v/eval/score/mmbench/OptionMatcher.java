package io.share4v.eval.score.mmbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The option a free-text MMBench answer names, by VLMEvalKit's rule-based stage ({@code can_infer}): first the
 * letter ({@code can_infer_option}), else the option text ({@code can_infer_text}). When both fail VLMEvalKit asks a
 * GPT judge; that cannot run offline, so such an answer is {@link #UNMATCHED} and counts as wrong, as VLMEvalKit's
 * {@code exact_matching} policy scores it.
 */
public final class OptionMatcher {
    /** No option could be read (VLMEvalKit records {@code Z}). */
    public static final String UNMATCHED = "Z";

    private static final List<String> REFUSALS = List.of(
            "Sorry, I can't help with images of people yet.",
            "I can't process this file.",
            "I'm sorry, but without the image provided",
            "Cannot determine the answer");
    private static final String SEPARATORS = ".()[],:;!*#{}";

    private OptionMatcher() {}

    /** The letter of {@code choices} that {@code answer} names, or {@link #UNMATCHED}. */
    public static String match(String answer, Map<String, String> choices) {
        String letter = byLetter(answer, choices);
        return letter != null ? letter : byText(answer, choices);
    }

    /**
     * {@code can_infer_option}: with {@code .()[],:;!*#{}} turned into spaces and the answer split on whitespace, the
     * one option letter that occurs as a token, if it is among the last four tokens (the script's
     * {@code index > len - 5}); a lone {@code Z} token or a refusal phrase is {@code Z}. Null: no decision. (The
     * script's extra "A might be an article" rejection only runs with {@code VERBOSE} set, so not by default.)
     */
    static String byLetter(String answer, Map<String, String> choices) {
        if (answer.contains("Failed to obtain answer via API")) {
            return null;
        }
        for (String refusal : REFUSALS) {
            if (answer.contains(refusal)) {
                return UNMATCHED;
            }
        }
        StringBuilder cleaned = new StringBuilder(answer);
        for (int i = 0; i < cleaned.length(); i++) {
            if (SEPARATORS.indexOf(cleaned.charAt(i)) >= 0) {
                cleaned.setCharAt(i, ' ');
            }
        }
        List<String> tokens = PythonSplit.split(cleaned.toString());
        int count = 0;
        for (String letter : choices.keySet()) {
            count += tokens.contains(letter) ? 1 : 0;
        }
        if (count == 1) {
            for (String letter : choices.keySet()) {
                if (tokens.contains(letter) && tokens.indexOf(letter) > tokens.size() - 5) {
                    return letter;
                }
            }
        } else if (count == 0 && tokens.contains(UNMATCHED)) {
            return UNMATCHED;
        }
        return null;
    }

    /**
     * {@code can_infer_text}: the one option whose lowercased text occurs in the lowercased answer, unless the answer
     * is longer than twice the options' total length.
     */
    static String byText(String answer, Map<String, String> choices) {
        String lower = answer.toLowerCase(Locale.ROOT);
        long optionsLength = 0;
        for (String text : choices.values()) {
            optionsLength += text.codePointCount(0, text.length());
        }
        if (lower.codePointCount(0, lower.length()) > 2 * optionsLength) {
            return UNMATCHED;
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> e : choices.entrySet()) {
            if (lower.contains(e.getValue().toLowerCase(Locale.ROOT))) {
                found.add(e.getKey());
            }
        }
        return found.size() == 1 ? found.get(0) : UNMATCHED;
    }
}
