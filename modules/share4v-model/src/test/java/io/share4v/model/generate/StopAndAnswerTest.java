package io.share4v.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.text.LlamaTokenizer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KeywordsStoppingCriteria semantics and the eval scripts' answer post-processing, with the real LLaMA-2 tokenizer. */
class StopAndAnswerTest {
    static LlamaTokenizer tokenizer() {
        try {
            return LlamaTokenizer.load(Path.of(StopAndAnswerTest.class
                            .getResource("/tokenizer/llama2/tokenizer.model")
                            .toURI())
                    .getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final LlamaTokenizer TOK = tokenizer();

    private static int[] concat(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] words(String text) {
        int[] ids = TOK.encode(text);
        return Arrays.copyOfRange(ids, 1, ids.length); // drop BOS
    }

    @Test
    void eosStringIsTheEosId() {
        StopCriteria c = new StopCriteria(List.of("</s>"), TOK);
        int[] prompt = {1, 3148, 1001};
        int[] gen = concat(words("A red car"), 2);
        assertFalse(c.matches(prompt, gen, gen.length - 1));
        assertTrue(c.matches(prompt, gen, gen.length));
    }

    @Test
    void multiTokenKeywordMatchesByIdsAcrossThePromptAndByDecodedTail() {
        StopCriteria c = new StopCriteria(List.of("USER"), TOK);
        assertArrayEquals(new int[] {3148, 1001}, words("USER"), "keyword ids (BOS dropped)");
        int[] gen = concat(words("Hi"), 3148, 1001);
        assertFalse(c.matches(new int[] {1}, gen, gen.length - 1));
        assertTrue(c.matches(new int[] {1}, gen, gen.length));
        // the reference compares the tail of prompt + output: a prompt ending in the first keyword id counts
        assertTrue(c.matches(new int[] {1, 3148}, new int[] {1001}, 1));
        // other ids that decode to the keyword: "US" without the word-start marker, then "ER"
        int us = TOK.idOf("US");
        assertTrue(us > 0 && us != 3148);
        int[] spelled = {us, 1001};
        assertTrue(c.matches(new int[] {1}, spelled, 2));
    }

    @Test
    void decodedTailIsOnlyAsLongAsTheLongestKeyword() {
        // "###" is one id (835); "##" + "#" spells it in two, and the reference decodes only the last id: no stop
        StopCriteria c = new StopCriteria(List.of("###"), TOK);
        assertArrayEquals(new int[] {835}, words("###"));
        assertFalse(c.matches(new int[] {1}, new int[] {2277, 29937}, 2));
        assertTrue(c.matches(new int[] {1}, new int[] {2277, 835}, 2));
    }

    @Test
    void answerTextDecodesNewIdsStripsAndDropsATrailingStopString() {
        assertEquals("A red car", AnswerText.of(TOK, concat(words("A red car"), 2), "</s>"));
        assertEquals("A red car", AnswerText.of(TOK, concat(words("A red car"), 2), null));
        assertEquals("yes", AnswerText.clean(" yes </s> ", "</s>"));
        assertEquals("yes</s>", AnswerText.clean("yes</s></s>", "</s>"), "one trailing stop string only");
        assertEquals("A ###", AnswerText.clean("A ###", "</s>"));
        // Python's str.strip removes U+00A0 and U+2007; Java's String.strip keeps them
        assertEquals("yes", AnswerText.clean("\u00a0yes\u2007", null));
        // the decoded text of "\nYes" starts with a newline, which strip removes
        assertEquals("Yes", AnswerText.of(TOK, concat(new int[] {13}, words("Yes")), "</s>"));
    }
}
