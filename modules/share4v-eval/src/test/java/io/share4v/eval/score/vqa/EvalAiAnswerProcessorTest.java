package io.share4v.eval.score.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The EvalAI/M4C answer processor on the spec's examples (taken from LLaVA's VizWiz answers and upload). */
class EvalAiAnswerProcessorTest {
    private static void processes(String in, String expected) {
        assertEquals(expected, EvalAiAnswerProcessor.process(in), in);
    }

    @Test
    void specExamples() {
        processes("08/13/2011", "08 13 2011");
        processes("Macy's", "macy 's");
        processes("Omega-3", "omega 3");
        processes("A Fine, Fine School", "fine fine school");
        processes("Ten commandments", "10 commandments");
        processes(
                "Sesame Street: Animal Zoo (Sesame Street Beginnings)",
                "sesame street: animal zoo sesame street beginnings");
        processes(
                "Cold, warm, hot, drain & spin, cold intensive, baby care, comfort, sanitary, delay",
                "cold warm hot drain & spin cold intensive baby care comfort sanitary delay");
    }

    @Test
    void caseArticlesNumbersAndContractions() {
        processes("Yes", "yes");
        processes("The Two Towers", "2 towers");
        processes("None", "0");
        processes("dont know", "don't know");
        processes("Its a dog?", "its dog");
        processes("it's", "it 's");
    }

    @Test
    void punctuationTouchingASpaceIsDeletedElseSpaced() {
        // "-" touches no space: becomes a space; "(" follows a space: every "(" and ")" is deleted.
        processes("t-shirt", "t shirt");
        processes("big (red)", "big red");
        processes("1.5 liters.", "1.5 liters");
    }

    @Test
    void atMost32PeriodsAreRemoved() {
        String dots = ".".repeat(40);
        assertEquals(".".repeat(8), EvalAiAnswerProcessor.process("a" + dots).substring(1));
    }

    @Test
    void pythonWhitespaceIsStripped() {
        processes("\u00a0Blue\u00a0", "blue");
        processes("Red\tand\nblue", "red and blue");
    }
}
