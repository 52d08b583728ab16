package io.share4v.eval.score.mme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** calculation.py's answer parsing: exact yes/no, else only the first four characters, else "other". */
class MmePredictionTest {
    @Test
    void specCases() {
        assertEquals(MmePrediction.YES, MmePrediction.parse("yes"));
        assertEquals(MmePrediction.YES, MmePrediction.parse("Yes\n"));
        assertEquals(MmePrediction.NO, MmePrediction.parse("no, there is…"));
        assertEquals(MmePrediction.NO, MmePrediction.parse("not sure"));
        assertEquals(MmePrediction.NO, MmePrediction.parse("None"));
        assertEquals(MmePrediction.OTHER, MmePrediction.parse("I think yes"));
    }

    @Test
    void onlyTheFirstFourCharactersCountAndYesWins() {
        assertEquals(MmePrediction.YES, MmePrediction.parse("YES."));
        assertEquals(MmePrediction.OTHER, MmePrediction.parse("Religious"));
        assertEquals(MmePrediction.OTHER, MmePrediction.parse(""));
        assertEquals(MmePrediction.NO, MmePrediction.parse("Snow"), "\"snow\" contains \"no\"");
        assertEquals(MmePrediction.OTHER, MmePrediction.parse("The answer is no"));
        // Characters, not UTF-16 units: the emoji is one character, so "no" is still within the first four.
        assertEquals(MmePrediction.NO, MmePrediction.parse("\uD83D\uDE00 no"));
    }
}
