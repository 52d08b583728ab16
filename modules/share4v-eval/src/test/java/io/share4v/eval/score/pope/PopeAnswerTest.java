package io.share4v.eval.score.pope;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** eval_pope.py's reading: first sentence, commas deleted, a word exactly No/not/no makes it no, else yes. */
class PopeAnswerTest {
    @Test
    void specCases() {
        assertFalse(PopeAnswer.saysYes("No"));
        assertTrue(PopeAnswer.saysYes("Yes, there is a dog."));
        assertFalse(PopeAnswer.saysYes("There is not."));
        assertTrue(PopeAnswer.saysYes("None"));
        assertFalse(PopeAnswer.saysYes("No."));
        assertTrue(PopeAnswer.saysYes("NO"));
    }

    @Test
    void onlyTheFirstSentenceAndSpaceSeparatedWordsCount() {
        assertTrue(PopeAnswer.saysYes("Yes. There is no cat."));
        assertFalse(PopeAnswer.saysYes("No, there is none"));
        // Commas are deleted, not split on: "is,no" becomes the word "isno".
        assertTrue(PopeAnswer.saysYes("There is,no cat"));
        assertFalse(PopeAnswer.saysYes("There is, no cat"));
        // Only single spaces separate words.
        assertTrue(PopeAnswer.saysYes("no\ncat"));
        assertTrue(PopeAnswer.saysYes("Nope"));
        assertTrue(PopeAnswer.saysYes(""));
    }
}
