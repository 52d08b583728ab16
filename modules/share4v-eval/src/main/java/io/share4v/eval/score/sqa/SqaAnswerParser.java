package io.share4v.eval.score.sqa;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The option letter in a ScienceQA answer, as LLaVA's {@code eval_science_qa.py} reads it (options A to E): the
 * answer that is exactly one letter; else an answer of at least 3 characters starting with a letter and {@code ". "};
 * else the letter of {@code The answer is X.} when that phrase occurs exactly once (its {@code .} is a Python regex
 * wildcard: any character but a newline must follow the letter); otherwise {@link #FAILED}. Nothing is stripped or
 * lowercased.
 */
public final class SqaAnswerParser {
    /** What the reference records when no letter can be read. */
    public static final String FAILED = "FAILED";

    private static final String OPTIONS = "ABCDE";
    private static final Pattern THE_ANSWER_IS = Pattern.compile("The answer is ([A-Z]).", Pattern.UNIX_LINES);

    private SqaAnswerParser() {}

    /** The letter {@code text} names, or {@link #FAILED}. */
    public static String parse(String text) {
        if (text.length() == 1 && isOption(text.charAt(0))) {
            return text;
        }
        if (text.length() >= 3 && isOption(text.charAt(0)) && text.startsWith(". ", 1)) {
            return text.substring(0, 1);
        }
        // findall: non-overlapping matches; the script accepts the letter only when there is exactly one
        Matcher m = THE_ANSWER_IS.matcher(text);
        String letter = null;
        int found = 0;
        while (m.find()) {
            letter = m.group(1);
            found++;
        }
        return found == 1 ? letter : FAILED;
    }

    private static boolean isOption(char c) {
        return OPTIONS.indexOf(c) >= 0;
    }
}
