package io.share4v.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionMaskTest {

    @Test
    void visibilityCombinesCausalityRightPaddingAndSingleKeys() {
        boolean[] keyValid = {true, false, true, true, true, true};
        AttentionShape s = new AttentionShape(
                2, 3, 1, 1, 2, true, 1f, AttentionMask.validLength(3, 2).andKeyValid(keyValid));
        assertTrue(s.visible(0, 2, 0));
        assertFalse(s.visible(0, 2, 1), "key 1 of sample 0 is hidden singly");
        assertFalse(s.visible(0, 0, 2), "causal: no key after the query");
        assertTrue(s.visible(1, 1, 1));
        assertFalse(s.visible(1, 2, 2), "sample 1's key 2 is right padding");
        assertEquals(2, s.keyEnd(1, 2));
        assertEquals(1, s.keyEnd(0, 0));
    }

    @Test
    void noneAndFullShapesSeeEveryKey() {
        AttentionShape s = AttentionShape.full(2, 4, 1, 2);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertTrue(s.visible(1, i, j));
            }
        }
        assertEquals(4, AttentionMask.none().keyEnd(0, 4));
        assertEquals(null, AttentionMask.none().keyFlags());
    }

    @Test
    void theMaskIsCopiedAtConstruction() {
        int[] lengths = {3, 1};
        AttentionMask m = AttentionMask.validLength(lengths);
        lengths[1] = 3;
        assertEquals(1, m.keyEnd(1, 3));
        assertEquals(AttentionMask.validLength(3, 1), m);
    }

    @Test
    void theShapeChecksTheMaskAgainstBatchAndSequenceOnce() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionShape.causal(3, 4, 1, 1, 2, AttentionMask.validLength(4, 4)));
        assertTrue(e.getMessage().contains("validLength has 2 entries for batch 3"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionShape.causal(2, 4, 1, 1, 2, AttentionMask.validLength(4, -1)));
        assertTrue(e.getMessage().contains("validLength[1] = -1 outside [0, 4]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionShape.causal(2, 4, 1, 1, 2, AttentionMask.keyValid(new boolean[7])));
        assertTrue(e.getMessage().contains("keyValid has 7 entries; expected batch*seq = 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AttentionShape.causal(2, 4, 1, 1, 2, null));
        assertTrue(e.getMessage().contains("AttentionMask.none()"), e.getMessage());
    }
}
