package io.share4v.eval.score.mmbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** VLMEvalKit's rule-based option reading (spec §3.3 "Answer-option extraction"). */
class OptionMatcherTest {
    private static final Map<String, String> CHOICES = new LinkedHashMap<>(Map.of("A", "cat", "B", "dog", "C", "bird"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            B                                            | B
            (C)                                          | C
            The answer is B.                             | B
            A cat                                        | A
            A or B                                       | Z
            B because it's big                           | B
            B because it is a big one                    | Z
            it is a dog                                  | B
            a dog or a cat                               | Z
            D                                            | Z
            Z                                            | Z
            Cannot determine the answer                  | Z
            Failed to obtain answer via API: B           | Z
            it is a dog, clearly, without a doubt, really | Z
            """)
    void readsTheLetterThenTheOptionText(String answer, String expected) {
        assertEquals(expected, OptionMatcher.match(answer, new LinkedHashMap<>(CHOICES)));
    }
}
