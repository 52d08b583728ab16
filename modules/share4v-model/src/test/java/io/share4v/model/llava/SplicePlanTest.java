package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The splice bookkeeping of ShareGPT4V's {@code prepare_inputs_labels_for_multimodal} on hand-checked examples (P = 3 feature rows per image). */
class SplicePlanTest {
    @Test
    void imagesExpandInBatchOrderAndTargetsShiftByOne() {
        int[][] ids = {{1, -200, 7, -200, 2}, {1, 8, 9, 2, 0}};
        int[][] labels = {{-100, -100, 7, -100, 2}, {-100, 8, 9, 2, -100}};
        SplicePlan p = SplicePlan.of(ids, labels, 3, 0, 32);
        // sample 0: 5 ids + 2 images * (3-1) = 9 rows; sample 1: 5 rows, one trailing pad
        assertEquals(9, p.seq);
        assertArrayEquals(new int[] {9, 5}, p.splicedLength);
        assertArrayEquals(new int[] {9, 4}, p.validLength);
        assertEquals(2, p.images());
        assertEquals(new SplicePlan.Placement(0, 1), p.placements[0]);
        assertEquals(new SplicePlan.Placement(1, 5), p.placements[1]);
        // stream 0: [1, img, img, img, 7, img, img, img, 2]; token ids -1 on image rows
        assertArrayEquals(new int[] {1, -1, -1, -1, 7, -1, -1, -1, 2}, java.util.Arrays.copyOfRange(p.tokenIds, 0, 9));
        // stream 1: [1, 8, 9, 2, 0(pad, embedded), zero, zero, zero, zero]
        assertArrayEquals(new int[] {1, 8, 9, 2, 0, -1, -1, -1, -1}, java.util.Arrays.copyOfRange(p.tokenIds, 9, 18));
        // targets: label at t+1, -100 for image rows and the last position
        assertArrayEquals(
                new int[] {-100, -100, -100, 7, -100, -100, -100, 2, -100},
                java.util.Arrays.copyOfRange(p.targets, 0, 9));
        assertArrayEquals(
                new int[] {8, 9, 2, -100, -100, -100, -100, -100, -100},
                java.util.Arrays.copyOfRange(p.targets, 9, 18));
        assertEquals(5, p.supervisedTokens);
    }

    @Test
    void withoutLabelsNothingIsSupervised() {
        SplicePlan p = SplicePlan.of(new int[][] {{1, 2}}, null, 3, 0, 32);
        assertEquals(0, p.supervisedTokens);
    }

    @Test
    void padIdInsideATextIsAMaskedKeyAndOnlyTrailingPadsArePadding() {
        // sample 0: [1, img, 0(<unk> inside the text), 5, 0(trailing pad)]; sample 1: [1, 0, 0, 6] (no padding)
        int[][] ids = {{1, -200, 0, 5, 0}, {1, 0, 0, 6, 7}};
        int[][] labels = {{-100, -100, 0, 5, -100}, {-100, 0, 0, 6, 7}};
        SplicePlan p = SplicePlan.of(ids, labels, 3, 0, 32);
        assertEquals(7, p.seq);
        assertArrayEquals(new int[] {7, 5}, p.splicedLength);
        assertArrayEquals(new int[] {6, 5}, p.validLength);
        // [True x image rows] ++ (ids != pad) ++ [False x right pad], per stream row
        assertArrayEquals(
                new boolean[] {
                    true, true, true, true, false, true, false,
                    true, false, false, true, true, false, false
                },
                p.keyValid);
        // the masked position keeps its embedding (embed_tokens[0]) and its label
        assertArrayEquals(new int[] {1, -1, -1, -1, 0, 5, 0}, java.util.Arrays.copyOfRange(p.tokenIds, 0, 7));
        assertArrayEquals(
                new int[] {-100, -100, -100, 0, 5, -100, -100}, java.util.Arrays.copyOfRange(p.targets, 0, 7));
        assertArrayEquals(new int[] {0, 0, 6, 7, -100, -100, -100}, java.util.Arrays.copyOfRange(p.targets, 7, 14));
    }

    @Test
    void noKeyMaskWhenPadsAreOnlyTrailing() {
        SplicePlan p = SplicePlan.of(new int[][] {{1, 2, 0, 0}, {1, 2, 3, 4}}, null, 3, 0, 32);
        assertArrayEquals(new int[] {2, 4}, p.validLength);
        assertEquals(null, p.keyValid);
    }

    @Test
    void rejectsWhatTheReferenceCannotEmbed() {
        assertThrows(IllegalArgumentException.class, () -> SplicePlan.of(new int[][] {{0, 0}}, null, 3, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> SplicePlan.of(new int[][] {{1, -5}}, null, 3, 0, 32));
        assertThrows(
                IllegalArgumentException.class,
                () -> SplicePlan.of(new int[][] {{1, 2}}, new int[][] {{1, 40}}, 3, 0, 32));
        assertThrows(
                IllegalArgumentException.class, () -> SplicePlan.of(new int[][] {{1, 2}}, new int[][] {{1}}, 3, 0, 32));
    }
}
