package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import org.junit.jupiter.api.Test;

class TokenizeJsonTest {
    @Test
    void sampleLineIsCompactWithStringId() {
        TokenizedSample s =
                new TokenizedSample("a\"b\u00e9", new int[] {1, -200, 13}, new int[] {-100, -100, 13}, false, 1, 578);
        assertEquals(
                "{\"id\":\"a\\\"b\u00e9\",\"input_ids\":[1,-200,13],\"labels\":[-100,-100,13]}", TokenizeJson.line(s));
    }

    @Test
    void rejectedLineHasReasonCodeThenDetail_andNullId() {
        RecordRejectedException e = new RecordRejectedException(RejectReason.BAD_ROLES, "turn 1 is from 'human'\n");
        assertEquals(
                "{\"id\":null,\"rejected\":\"BAD_ROLES\",\"detail\":\"turn 1 is from 'human'\\n\"}",
                TokenizeJson.rejected(null, e));
    }
}
