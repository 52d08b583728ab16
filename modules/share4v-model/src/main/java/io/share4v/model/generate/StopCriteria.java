package io.share4v.model.generate;

import io.share4v.data.text.LlamaTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The reference's {@code KeywordsStoppingCriteria} ({@code share4v/mm_utils.py}) for one sequence: each keyword
 * is tokenized (its BOS dropped when it has more than one id); a sequence stops when the whole sequence so far
 * (prompt ids and new ids) ends with a keyword's ids, or when the last {@code min(new, longest keyword ids)} new
 * ids, decoded with {@code skip_special_tokens=True}, contain a keyword. {@code "</s>"} tokenizes to the EOS id
 * alone, so for the TWO templates it coincides with the EOS stop.
 */
final class StopCriteria {
    private final List<String> keywords;
    private final int[][] keywordIds;
    private final int maxKeywordLen;
    private final LlamaTokenizer tokenizer;

    StopCriteria(List<String> keywords, LlamaTokenizer tokenizer) {
        this.keywords = List.copyOf(keywords);
        this.tokenizer = tokenizer;
        if (!keywords.isEmpty() && tokenizer == null) {
            throw new IllegalArgumentException("stop strings " + keywords + " need a tokenizer (none was given)");
        }
        keywordIds = new int[keywords.size()][];
        int longest = 0;
        for (int i = 0; i < keywordIds.length; i++) {
            int[] ids = tokenizer.encode(keywords.get(i));
            if (ids.length > 1 && ids[0] == tokenizer.bosId()) {
                ids = Arrays.copyOfRange(ids, 1, ids.length);
            }
            keywordIds[i] = ids;
            longest = Math.max(longest, ids.length);
        }
        maxKeywordLen = longest;
    }

    boolean isEmpty() {
        return keywords.isEmpty();
    }

    /** Whether {@code prompt ++ generated[0, count)} meets a keyword (called after each new id is appended). */
    boolean matches(int[] prompt, int[] generated, int count) {
        if (keywords.isEmpty()) {
            return false;
        }
        for (int[] kw : keywordIds) {
            if (endsWith(prompt, generated, count, kw)) {
                return true;
            }
        }
        int offset = Math.min(count, maxKeywordLen);
        String tail = tokenizer.decode(Arrays.copyOfRange(generated, count - offset, count), true);
        for (String k : keywords) {
            if (tail.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Python's {@code (output_ids[0, -len(kw):] == kw).all()} over the concatenated sequence. */
    private static boolean endsWith(int[] prompt, int[] generated, int count, int[] kw) {
        int total = prompt.length + count;
        if (kw.length > total) {
            return false; // the reference compares a shorter tail and fails the shape check
        }
        for (int i = 0; i < kw.length; i++) {
            int pos = total - kw.length + i;
            int id = pos < prompt.length ? prompt[pos] : generated[pos - prompt.length];
            if (id != kw[i]) {
                return false;
            }
        }
        return true;
    }
}
