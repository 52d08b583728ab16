package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.Tokens;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import io.share4v.data.record.Turn;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Config validation, the mismatch policy, the plain template and image-placeholder handling. */
class SamplePreprocessorTest {
    private static LlavaRecord rec(String image, String... fromValue) {
        Turn[] t = new Turn[fromValue.length / 2];
        for (int i = 0; i < t.length; i++) {
            t[i] = new Turn(fromValue[2 * i], fromValue[2 * i + 1]);
        }
        return new LlavaRecord("r", image, List.of(t));
    }

    private static SamplePreprocessor pre(String template, int max, MismatchPolicy p) {
        return new SamplePreprocessor(TestTokenizers.released(), new PreprocessConfig(template, max, p, 576));
    }

    @Test
    void configIsValidatedWithKeyValueAndRange() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new PreprocessConfig("vicuna", 2048, MismatchPolicy.KEEP_IGNORED, 576));
        assertTrue(
                e.getMessage().contains("preprocess.template") && e.getMessage().contains("v1"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new PreprocessConfig("share4v_v0", 2048, MismatchPolicy.KEEP_IGNORED, 576));
        assertTrue(e.getMessage().contains("not implemented"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> new PreprocessConfig("v1", 0, MismatchPolicy.KEEP_IGNORED, 576));
        assertTrue(e.getMessage().contains("modelMaxLength is 0"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new PreprocessConfig("v1", 2048, null, 576));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig("v1", 2048, MismatchPolicy.REJECT, 0));
    }

    @Test
    void literalEosInAnAnswerIsAMismatch_keptIgnoredAndCounted_orRejected() throws Exception {
        LlavaRecord r = rec("x.jpg", "human", "<image>\nWhat?", "gpt", "It ends here</s> and goes on.");
        SamplePreprocessor keep = pre("v1", 2048, MismatchPolicy.KEEP_IGNORED);
        TokenizedSample s = keep.process(r);
        assertTrue(s.mismatch());
        assertTrue(Arrays.stream(s.labels()).allMatch(l -> l == Tokens.IGNORE_INDEX));
        assertEquals(1, keep.mismatchCount());
        RecordRejectedException e = assertThrows(
                RecordRejectedException.class,
                () -> pre("v1", 2048, MismatchPolicy.REJECT).process(r));
        assertEquals(RejectReason.TOKENIZATION_MISMATCH, e.reason());
        assertTrue(e.detail().matches("tokenization mismatch: \\d+ vs\\. \\d+"), e.detail());
    }

    @Test
    void truncatedTextOnlyRecordIsNeverCheckedForMismatch() throws Exception {
        // cur_len >= model_max_length skips the check even though the prompt holds a literal </s>.
        LlavaRecord r = rec(null, "human", "one two three four five six seven eight nine ten", "gpt", "a</s>b c d e f");
        TokenizedSample s = pre("v1", 16, MismatchPolicy.REJECT).process(r);
        assertEquals(16, s.inputIds().length);
        assertTrue(Arrays.stream(s.labels()).allMatch(l -> l == Tokens.IGNORE_INDEX)); // all 16 are prompt
        assertEquals(0, s.images());
    }

    @Test
    void plainIsImagePlusCaptionPlusNewline_withTwoMaskedPositions() throws Exception {
        TokenizedSample s = pre("plain", 2048, MismatchPolicy.KEEP_IGNORED)
                .process(rec("a.jpg", "human", "Describe.\n<image>", "gpt", "A red bus."));
        LlamaTokenizer tok = TestTokenizers.released();
        int[] caption = tok.encode("A red bus.\n");
        int[] want = new int[caption.length + 1];
        want[0] = 1;
        want[1] = Tokens.IMAGE_TOKEN_INDEX;
        System.arraycopy(caption, 1, want, 2, caption.length - 1);
        assertArrayEquals(want, s.inputIds());
        assertEquals(13, want[want.length - 1]);
        int[] labels = want.clone();
        labels[0] = labels[1] = Tokens.IGNORE_INDEX;
        assertArrayEquals(labels, s.labels());
        assertEquals(want.length - 1 + 576, s.expandedLength());
    }

    @Test
    void rejectionsCarryReasons() {
        SamplePreprocessor v1 = pre("v1", 2048, MismatchPolicy.KEEP_IGNORED);
        SamplePreprocessor plain = pre("plain", 2048, MismatchPolicy.KEEP_IGNORED);
        assertReject(RejectReason.EMPTY_CONVERSATION, v1, rec("x.jpg"));
        assertReject(RejectReason.EMPTY_CONVERSATION, v1, rec(null, "gpt", "only"));
        assertReject(RejectReason.BAD_ROLES, v1, rec(null, "human", "a", "human", "b"));
        assertReject(RejectReason.BAD_ROLES, v1, rec(null, "system", "s", "human", "a", "gpt", "b"));
        assertReject(
                RejectReason.IMAGE_PLACEHOLDER_MISMATCH,
                v1,
                rec("x.jpg", "human", "<image>\nq", "gpt", "a", "human", "<image>\nq2", "gpt", "b"));
        assertReject(RejectReason.PLAIN_NOT_CAPTION_PAIR, plain, rec(null, "human", "<image>", "gpt", "c"));
        assertReject(RejectReason.PLAIN_NOT_CAPTION_PAIR, plain, rec("x.jpg", "human", "no image", "gpt", "c"));
        assertReject(
                RejectReason.PLAIN_NOT_CAPTION_PAIR, plain, rec("x.jpg", "human", "<image>", "gpt", "c", "human", "d"));
        assertReject(
                RejectReason.IMAGE_PLACEHOLDER_MISMATCH, plain, rec("x.jpg", "human", "<image>", "gpt", "a <image> b"));
    }

    @Test
    void imageRecordWithoutPlaceholderTrainsWithoutTheImage_asTheReferenceDoes() throws Exception {
        TokenizedSample s =
                pre("v1", 2048, MismatchPolicy.REJECT).process(rec("x.jpg", "human", "What?", "gpt", "This."));
        assertEquals(0, s.images());
        assertEquals(s.inputIds().length, s.expandedLength());
    }

    @Test
    void imagePromptTokenizerKeepsOneBosAndOnePlaceholderPerImage() {
        LlamaTokenizer tok = TestTokenizers.released();
        assertArrayEquals(new int[] {1, -200}, ImagePromptTokenizer.encode(tok, "<image>"));
        assertArrayEquals(new int[] {1, -200, -200}, ImagePromptTokenizer.encode(tok, "<image><image>"));
        assertArrayEquals(tok.encode("no image here"), ImagePromptTokenizer.encode(tok, "no image here"));
        assertArrayEquals(
                new int[] {1, 3148, 1001, 29901, 29871, -200, 29871, 13, 5618},
                ImagePromptTokenizer.encode(tok, "USER: <image>\nWhat"));
    }

    private static void assertReject(RejectReason want, SamplePreprocessor p, LlavaRecord r) {
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> p.process(r));
        assertEquals(want, e.reason(), e.detail());
        assertTrue(e.detail() != null && !e.detail().isBlank());
    }
}
