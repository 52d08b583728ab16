package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known facts of the LLaMA-2 tokenizer under transformers 4.31 (special-token splitting, the leading-space rules of
 * {@code legacy=false}, how the v1 template's separators tokenize) and of HF issues about them, checked on the real
 * LLaMA-2 tokenizer.
 */
class LlamaTokenizerSpecTest {
    static final Path DIR = TokenizerFixtures.LLAMA2_DIR;
    static LlamaTokenizer nonLegacy;
    static LlamaTokenizer legacy;

    @BeforeAll
    static void load() {
        nonLegacy = LlamaTokenizer.load(DIR);
        legacy = LlamaTokenizer.load(DIR, true);
    }

    @Test
    void releasedConfigIsNonLegacyWithBosOnly() {
        assertFalse(nonLegacy.legacy());
        assertTrue(legacy.legacy());
        assertEquals(32000, nonLegacy.vocabSize());
        assertEquals(1, nonLegacy.bosId());
        assertEquals(2, nonLegacy.eosId());
        assertEquals(0, nonLegacy.unkId());
        assertEquals(0, nonLegacy.padId());
        assertArrayEquals(new int[] {1}, nonLegacy.encode(""));
        assertArrayEquals(new int[] {}, nonLegacy.encode("", false));
    }

    @Test
    void vocabularyLandmarks() {
        assertEquals("<unk>", nonLegacy.pieceOf(0));
        assertEquals("<s>", nonLegacy.pieceOf(1));
        assertEquals("</s>", nonLegacy.pieceOf(2));
        assertEquals("<0x00>", nonLegacy.pieceOf(3));
        assertEquals("<0xFF>", nonLegacy.pieceOf(258));
        assertEquals(13, nonLegacy.idOf("<0x0A>"));
        assertEquals(29871, nonLegacy.idOf("\u2581"));
        assertEquals(0, nonLegacy.idOf("no such piece"));
        assertEquals(PieceType.BYTE, nonLegacy.model().type(13));
        assertEquals(PieceType.CONTROL, nonLegacy.model().type(1));
        assertEquals("identity", nonLegacy.model().normalizerName());
        assertTrue(nonLegacy.model().addDummyPrefix());
        assertFalse(nonLegacy.model().removeExtraWhitespaces());
    }

    @Test
    void knownIdSequences() {
        for (LlamaTokenizer t : new LlamaTokenizer[] {nonLegacy, legacy}) {
            assertArrayEquals(new int[] {3148, 1001, 29901}, t.encode("USER:", false));
            assertArrayEquals(new int[] {29871, 13}, t.encode("\n", false));
            assertArrayEquals(new int[] {29871, 15043}, t.encode(" Hello", false));
            assertArrayEquals(new int[] {1, 3148, 1001, 29901}, t.encode("USER:"));
        }
        // " ASSISTANT:" after other text tokenizes as ▁A SS IST ANT :
        assertArrayEquals(
                new int[] {3593, 29973, 319, 1799, 9047, 13566, 29901}, nonLegacy.encode("bus? ASSISTANT:", false));
    }

    @Test
    void textAfterEosLosesItsSpaceOnlyWhenNotLegacy() {
        assertArrayEquals(new int[] {1, 4367, 29889, 2, 3308, 1001, 29901}, nonLegacy.encode("Red.</s>USER:"));
        assertArrayEquals(new int[] {1, 4367, 29889, 2, 3148, 1001, 29901}, legacy.encode("Red.</s>USER:"));
    }

    @Test
    void workedExampleOfSpec33() {
        String system = "A chat between a curious user and an artificial intelligence assistant. The assistant gives "
                + "helpful, detailed, and polite answers to the user's questions.";
        String prompt = system
                + " USER: <image>\nWhat color is the bus? ASSISTANT: Red.</s>USER: How many wheels? ASSISTANT: 4</s>";
        int[] expected = {
            1, 319, 13563, 1546, 263, 12758, 1404, 322, 385, 23116, 21082, 20255, 29889, 450, 20255, 4076, 8444, 29892,
            13173, 29892, 322, 1248, 568, 6089, 304, 278, 1404, 29915, 29879, 5155, 29889, 3148, 1001, 29901, 29871,
            -200, 29871, 13, 5618, 2927, 338, 278, 3593, 29973, 319, 1799, 9047, 13566, 29901, 4367, 29889, 2, 3308,
            1001, 29901, 1128, 1784, 21266, 1379, 29973, 319, 1799, 9047, 13566, 29901, 29871, 29946, 2
        };
        assertArrayEquals(expected, tokenizerImageToken(nonLegacy, prompt));
        assertEquals(68, expected.length);
        int[] legacyIds = tokenizerImageToken(legacy, prompt);
        int[] diff = IntStream.range(0, expected.length)
                .filter(i -> expected[i] != legacyIds[i])
                .toArray();
        assertArrayEquals(new int[] {52}, diff);
        assertEquals(3148, legacyIds[52]);
    }

    @Test
    void maskingSeparatorsTokenizeAsTheSpecAssumes() {
        // instruction_len = len(tok(parts[0])) - 2: the trailing space of "ASSISTANT: " is a lone ▁ (29871).
        int[] part = nonLegacy.encode("USER: How many wheels? ASSISTANT: ");
        assertEquals(29871, part[part.length - 1]);
        assertEquals(29901, part[part.length - 2]);
    }

    @Test
    void decodeFollows431() {
        int[] ids = nonLegacy.encode("Hello world</s>USER: hi");
        assertEquals("<s> Hello world</s>USER: hi", nonLegacy.decode(ids, false));
        assertEquals("<s> Hi</s> USER</s>", nonLegacy.decode(nonLegacy.encode("Hi</s>USER</s>"), false));
        assertEquals("Hello worldUSER: hi", nonLegacy.decode(ids, true));
        assertEquals(
                "你 hello",
                nonLegacy.decode(
                        new int[] {
                            nonLegacy.idOf("<0xE4>"),
                            nonLegacy.idOf("<0xBD>"),
                            nonLegacy.idOf("<0xA0>"),
                            nonLegacy.idOf("\u2581hello")
                        },
                        false));
        assertEquals(
                "\uFFFD hello",
                nonLegacy.decode(new int[] {nonLegacy.idOf("<0xE4>"), nonLegacy.idOf("\u2581hello")}, false));
        assertEquals(" hello", nonLegacy.decode(new int[] {29871, nonLegacy.idOf("\u2581hello")}, false));
    }

    @Test
    void fingerprintCoversModelAndSettings() {
        assertEquals(64, nonLegacy.fingerprint().length());
        assertEquals(nonLegacy.fingerprint(), LlamaTokenizer.load(DIR).fingerprint());
        assertNotEquals(nonLegacy.fingerprint(), legacy.fingerprint());
    }

    /** LLaVA's tokenizer_image_token: chunks on "<image>" tokenized separately, one BOS, -200 between. */
    static int[] tokenizerImageToken(LlamaTokenizer t, String prompt) {
        String[] chunks = prompt.split("<image>", -1);
        java.util.List<Integer> out = new java.util.ArrayList<>();
        out.add(t.bosId());
        for (int c = 0; c < chunks.length; c++) {
            if (c > 0) out.add(-200);
            int[] ids = t.encode(chunks[c]);
            for (int k = 1; k < ids.length; k++) out.add(ids[k]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
