package io.share4v.eval.score.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soft accuracy as TextVQA scoring computes it (EvalAI processor on both sides) and as the official vqaEval does
 * (normalising only when the human answers differ): the spec's cases.
 */
class VqaAccuracyTest {
    private static List<String> answers(Object... countThenAnswer) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < countThenAnswer.length; i += 2) {
            out.addAll(Collections.nCopies((Integer) countThenAnswer[i], (String) countThenAnswer[i + 1]));
        }
        return out;
    }

    private static double m4c(String prediction, List<String> humans) {
        List<String> processed =
                humans.stream().map(EvalAiAnswerProcessor::process).toList();
        return SoftAccuracy.of(EvalAiAnswerProcessor.process(prediction), processed);
    }

    @Test
    void m4cCases() {
        assertEquals(1.0, m4c("two", answers(10, "2")), 1e-12);
        assertEquals(0.9, m4c("no", answers(7, "yes", 3, "no")), 1e-12);
        assertEquals(0.3, m4c("cat", answers(1, "cat", 9, "dog")), 1e-12);
        assertEquals(0.6, m4c("cat", answers(2, "cat", 8, "dog")), 1e-12);
        assertEquals(0.9, m4c("cat", answers(3, "cat", 7, "dog")), 1e-12);
        assertEquals(1.0, m4c("cat", answers(4, "cat", 6, "dog")), 1e-12);
        assertEquals(0.0, m4c("cat", answers(10, "dog")), 1e-12);
        assertEquals(0.9, m4c("t-shirt", answers(3, "t shirt", 7, "tshirt")), 1e-12);
        assertEquals(0.0, m4c("it's", answers(10, "its")), 1e-12);
    }

    @Test
    void officialNormalisesOnlyWhenHumansDisagree() {
        assertEquals(0.0, OfficialVqaAccuracy.of("Yes", answers(10, "yes")), 1e-12);
        assertEquals(0.0, OfficialVqaAccuracy.of("two", answers(10, "2")), 1e-12);
        assertEquals(1.0, OfficialVqaAccuracy.of("Two", answers(9, "2", 1, "two")), 1e-12);
        assertEquals(1.0, OfficialVqaAccuracy.of(" yes\n", answers(10, "yes")), 1e-12);
    }

    @Test
    void officialDigitCommaDigitDeletesAllPunctuation() {
        // "1,000" has digit-comma-digit: every listed character is deleted rather than spaced.
        assertEquals("1000 redblue", OfficialVqaAccuracy.normalise("1,000 red/blue"));
        assertEquals("red blue", OfficialVqaAccuracy.normalise("red/blue"));
    }
}
