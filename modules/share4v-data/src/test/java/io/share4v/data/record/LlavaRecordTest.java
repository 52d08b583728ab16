package io.share4v.data.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LlavaRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LlavaRecord parse(String json) throws Exception {
        return LlavaRecord.fromJson(JSON.readTree(json));
    }

    private static RejectReason rejection(String json) {
        return assertThrows(RecordRejectedException.class, () -> parse(json)).reason();
    }

    @Test
    void parsesImageAndTextOnlyRecords() throws Exception {
        LlavaRecord img = parse("{\"id\":\"a\",\"image\":\"coco/1.jpg\",\"conversations\":"
                + "[{\"from\":\"human\",\"value\":\"<image>\\nQ\"},{\"from\":\"gpt\",\"value\":\"A\"}]}");
        assertTrue(img.hasImage());
        assertEquals("coco/1.jpg", img.image());
        assertEquals(2, img.conversations().size());
        assertTrue(img.conversations().get(0).isHuman());
        LlavaRecord text = parse("{\"id\":7,\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"}]}");
        assertFalse(text.hasImage());
        assertEquals("7", text.id());
    }

    @Test
    void rejectsWhatTheReferenceWouldCrashOn() {
        assertEquals(RejectReason.MALFORMED_RECORD, rejection("[1,2]"));
        assertEquals(RejectReason.MISSING_FIELD, rejection("{\"conversations\":[]}"));
        assertEquals(RejectReason.MISSING_FIELD, rejection("{\"id\":\"x\"}"));
        assertEquals(RejectReason.MALFORMED_RECORD, rejection("{\"id\":\"x\",\"conversations\":{}}"));
        assertEquals(RejectReason.MALFORMED_RECORD, rejection("{\"id\":\"x\",\"image\":null,\"conversations\":[]}"));
        assertEquals(RejectReason.MALFORMED_RECORD, rejection("{\"id\":\"x\",\"image\":3,\"conversations\":[]}"));
        assertEquals(RejectReason.MISSING_FIELD, rejection("{\"id\":\"x\",\"conversations\":[{\"from\":\"human\"}]}"));
        assertEquals(
                RejectReason.MALFORMED_RECORD,
                rejection("{\"id\":\"x\",\"conversations\":[{\"from\":\"human\",\"value\":5}]}"));
        assertEquals(RejectReason.MALFORMED_RECORD, rejection("{\"id\":[1],\"conversations\":[]}"));
    }
}
