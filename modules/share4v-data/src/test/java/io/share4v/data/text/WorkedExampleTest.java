package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.Turn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-worked example of v1 masking: one image, two rounds, ids and supervised positions written out literally. */
class WorkedExampleTest {
    private static final int S = Integer.MIN_VALUE; // marks "supervised" in the literal table below

    /** The expected ids; {@code S} after an id marks that position as supervised. */
    private static final int[] TABLE = {
        1, 319, 13563, 1546, 263, 12758, 1404, 322, 385, 23116, 21082, 20255, 29889, 450, 20255, 4076, 8444, 29892,
        13173, 29892, 322, 1248, 568, 6089, 304, 278, 1404, 29915, 29879, 5155, 29889, 3148, 1001, 29901, 29871, -200,
        29871, 13, 5618, 2927, 338, 278, 3593, 29973, 319, 1799, 9047, 13566, 29901, 4367, S, 29889, S, 2, S, 3308,
        1001, 29901, 1128, 1784, 21266, 1379, 29973, 319, 1799, 9047, 13566, 29901, 29871, S, 29946, S, 2, S,
    };

    static LlavaRecord record() {
        return new LlavaRecord(
                "worked",
                "coco/train2017/000000000001.jpg",
                List.of(
                        new Turn("human", "<image>\nWhat color is the bus?"), new Turn("gpt", "Red."),
                        new Turn("human", "How many wheels?"), new Turn("gpt", "4")));
    }

    static int[][] idsAndLabels(int secondRoundUs) {
        int n = 0;
        for (int v : TABLE) {
            n += v == S ? 0 : 1;
        }
        int[] ids = new int[n];
        int[] labels = new int[n];
        int k = -1;
        for (int v : TABLE) {
            if (v == S) {
                labels[k] = ids[k];
            } else {
                ids[++k] = v;
                labels[k] = -100;
            }
        }
        ids[52] = secondRoundUs; // position of "US" after the first </s>
        return new int[][] {ids, labels};
    }

    @Test
    void released_nonLegacy_matchesSpecIdsAndMask() throws Exception {
        int[][] want = idsAndLabels(3308);
        assertEquals(68, want[0].length);
        TokenizedSample s =
                new SamplePreprocessor(TestTokenizers.released(), PreprocessConfig.stage2()).process(record());
        assertArrayEquals(want[0], s.inputIds());
        assertArrayEquals(want[1], s.labels());
        assertFalse(s.mismatch());
        assertEquals(1, s.images());
        assertEquals(68 - 1 + 576, s.expandedLength());
        assertEquals(6, s.supervisedTokens());
    }

    @Test
    void legacyTokenizer_differsOnlyInTheTokenAfterEos(@TempDir Path dir) throws Exception {
        int[][] want = idsAndLabels(3148);
        TokenizedSample s =
                new SamplePreprocessor(TestTokenizers.legacy(dir), PreprocessConfig.stage2()).process(record());
        assertArrayEquals(want[0], s.inputIds());
        assertArrayEquals(want[1], s.labels());
        assertFalse(s.mismatch());
    }

    @Test
    void promptIsTheSpecString() {
        String prompt = ConversationTemplates.get("v1")
                .withMessages(List.of(
                        Message.of("USER", "<image>\nWhat color is the bus?"), Message.of("ASSISTANT", "Red."),
                        Message.of("USER", "How many wheels?"), Message.of("ASSISTANT", "4")))
                .prompt();
        assertEquals(
                "A chat between a curious user and an artificial intelligence assistant. The assistant gives "
                        + "helpful, detailed, and polite answers to the user's questions. USER: <image>\nWhat color is the bus? "
                        + "ASSISTANT: Red.</s>USER: How many wheels? ASSISTANT: 4</s>",
                prompt);
    }
}
