package io.share4v.eval.score.vqa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two answer-normalisation steps of the official VQA evaluation (GT-Vision-Lab {@code vqaEval.py}), which the
 * EvalAI/M4C answer processor reuses: punctuation processing, then digit/article processing with the contraction
 * table. Quirks of the reference are kept on purpose, each noted where it happens.
 */
public final class VqaNormalisation {
    /** The 21 characters punctuation processing deletes or turns into spaces (apostrophe and colon are not here). */
    static final List<String> PUNCTUATION = List.of(
            ";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@", "`", ",", "?", "!");

    /**
     * A period not followed by a digit. The reference's pattern {@code (?!<=\d)(\.)(?!\d)} starts with a malformed
     * look-behind, a look-ahead for "<=" and a digit that never matches before a period, so it is dropped here.
     * Python's {@code \d} is any Unicode decimal digit.
     */
    private static final Pattern PERIOD = Pattern.compile("\\.(?!\\p{Nd})");

    /** The reference passes {@code re.UNICODE} (32) where {@code sub} takes its count: at most 32 periods go. */
    private static final int PERIODS_REMOVED_AT_MOST = 32;

    private static final Map<String, String> NUMBERS = Map.ofEntries(
            Map.entry("none", "0"),
            Map.entry("zero", "0"),
            Map.entry("one", "1"),
            Map.entry("two", "2"),
            Map.entry("three", "3"),
            Map.entry("four", "4"),
            Map.entry("five", "5"),
            Map.entry("six", "6"),
            Map.entry("seven", "7"),
            Map.entry("eight", "8"),
            Map.entry("nine", "9"),
            Map.entry("ten", "10"));

    private static final Set<String> ARTICLES = Set.of("a", "an", "the");

    private VqaNormalisation() {}

    /**
     * Punctuation processing of {@code in}: each listed character is deleted when it touches a space somewhere in the
     * original text or when {@code digitCommaDigit} (the caller's digit-comma test on the original text) holds, and
     * replaced by a space otherwise; then periods not followed by a digit are deleted (at most 32).
     */
    public static String punctuation(String in, boolean digitCommaDigit) {
        String out = in;
        for (String p : PUNCTUATION) {
            if (in.contains(p + " ") || in.contains(" " + p) || digitCommaDigit) {
                out = out.replace(p, "");
            } else {
                out = out.replace(p, " ");
            }
        }
        return removePeriods(out);
    }

    private static String removePeriods(String s) {
        Matcher m = PERIOD.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        int removed = 0;
        while (removed < PERIODS_REMOVED_AT_MOST && m.find()) {
            out.append(s, copied, m.start());
            copied = m.end();
            removed++;
        }
        return out.append(s, copied, s.length()).toString();
    }

    /**
     * Digit/article processing: lowercase, split on whitespace, number words to digits ({@code none} is 0), articles
     * dropped, contractions restored from their apostrophe-less forms, joined with single spaces.
     */
    public static String digitsAndArticles(String in) {
        List<String> words = new ArrayList<>();
        for (String w : PythonStrings.split(PythonStrings.lower(in))) {
            String word = NUMBERS.getOrDefault(w, w);
            if (!ARTICLES.contains(word)) {
                words.add(Contractions.TABLE.getOrDefault(word, word));
            }
        }
        return String.join(" ", words);
    }
}
