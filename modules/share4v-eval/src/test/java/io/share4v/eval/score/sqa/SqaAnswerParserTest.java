package io.share4v.eval.score.sqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** eval_science_qa.py's letter reading, including the five FAILED answers of LLaVA-1.5-13B (spec §3.6, §6.6). */
class SqaAnswerParserTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            B                                    | B
            E                                    | E
            F                                    | FAILED
            B. Maryland                          | B
            'A.'                                 | FAILED
            ' B'                                 | FAILED
            The answer is C.                     | C
            So The answer is D, clearly.         | D
            The answer is A                      | FAILED
            The answer is A. The answer is B.    | FAILED
            B is the run-on sentence.            | FAILED
            A is a complete sentence.            | FAILED
            Cinder                               | FAILED
            Cove                                 | FAILED
            """)
    void readsTheLetterAsTheReferenceDoes(String text, String expected) {
        assertEquals(expected, SqaAnswerParser.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"'The answer is B\nC', FAILED", "'The answer is B\tC', B", "'C\nD', FAILED"})
    void theRegexWildcardMatchesAnyCharacterButANewline(String text, String expected) {
        assertEquals(expected, SqaAnswerParser.parse(text));
    }
}
