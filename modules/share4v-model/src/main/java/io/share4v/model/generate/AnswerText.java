package io.share4v.model.generate;

import io.share4v.data.text.LlamaTokenizer;
import io.share4v.data.text.PyStr;

/**
 * The eval scripts' answer post-processing ({@code model_vqa*.py}): decode only the new ids
 * with {@code skip_special_tokens=True}, {@code strip()}, drop a trailing stop string, {@code strip()} again.
 * Python's {@code str.strip} whitespace set, not Java's.
 */
public final class AnswerText {
    private AnswerText() {}

    /** @param stopString the template's stop string ({@code sep2} for TWO style), or null for none */
    public static String of(LlamaTokenizer tokenizer, int[] newIds, String stopString) {
        return clean(tokenizer.decode(newIds, true), stopString);
    }

    /** The text part: strip, remove one trailing {@code stopString}, strip. */
    public static String clean(String decoded, String stopString) {
        String out = PyStr.strip(decoded);
        if (stopString != null && !stopString.isEmpty() && out.endsWith(stopString)) {
            out = out.substring(0, out.length() - stopString.length());
        }
        return PyStr.strip(out);
    }
}
