package io.share4v.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Files Pillow refuses (recorded in the manifest) are rejected with a reason, never decoded or crashed on. */
class ImageGuardTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @TestFactory
    Stream<DynamicTest> badFilesAreRejectedWithTheirReason() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode g : Fixtures.manifest().get("guards")) {
            String file = g.get("file").asText();
            tests.add(DynamicTest.dynamicTest(file, () -> {
                assertTrue(!g.get("pillow").asText().equals("ok"), "Pillow refuses " + file + " too");
                RejectReason want = RejectReason.valueOf(g.get("reason").asText());
                RecordRejectedException e =
                        assertThrows(RecordRejectedException.class, () -> decoder.decode(Fixtures.bytes(file), file));
                assertEquals(want, e.reason(), e.detail());
                assertTrue(e.detail().startsWith(file + ": "), "detail names the file: " + e.detail());
                System.out.println("guard " + file + " -> " + e.reason() + ": " + e.detail());
                if (want != RejectReason.CORRUPT_IMAGE || !file.startsWith("truncated")) {
                    // Header problems are caught by the probe as well, before any pixel is decoded.
                    RecordRejectedException p = assertThrows(
                            RecordRejectedException.class, () -> decoder.probe(Fixtures.bytes(file), file));
                    assertEquals(want, p.reason(), p.detail());
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void pixelLimitIsConfigurableAndCheckedFromTheHeader() throws Exception {
        byte[] png = Fixtures.bytes("png_rgb_257x193.png");
        assertEquals(new ImageInfo("PNG", 257, 193), decoder.probe(png, "x"));
        ImageDecoder strict = new ImageDecoder(257L * 193 - 1);
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> strict.decode(png, "x.png"));
        assertEquals(RejectReason.IMAGE_TOO_LARGE, e.reason());
        assertTrue(e.detail().contains("257x193"), e.detail());
        assertEquals(257, new ImageDecoder(257L * 193).decode(png, "x.png").width()); // the limit itself is allowed
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0));
    }

    @Test
    void contentDecidesTheFormatNotTheName() throws Exception {
        // OCR-VQA stores GIFs and PNGs under .jpg names; Pillow sniffs the bytes and so do we.
        RgbImage img = decoder.decode(Fixtures.bytes("gif_240x180.gif"), "1437717772.jpg");
        assertEquals(240, img.width());
        assertEquals(
                "GIF", decoder.probe(Fixtures.bytes("gif_240x180.gif"), "a.jpg").format());
    }
}
