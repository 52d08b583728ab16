package io.share4v.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The processor vs the Python reference (Pillow resize + transformers 4.31 steps restated in NumPy). The input
 * is Pillow's own decoded RGB, so these tests isolate preprocessing from decoding; {@link #endToEnd} joins both.
 */
class ClipImageProcessorFixtureTest {
    private static final JsonNode MANIFEST = Fixtures.manifest();

    private static ClipImageProcessor processor(String variant) {
        JsonNode v = MANIFEST.get("variants").get(variant);
        return new ClipImageProcessor(ClipImageProcessor.Config.clip336(
                        AspectMode.parse(v.get("aspect").asText()))
                .withSize(v.get("size").asInt()));
    }

    private static RgbImage pillowRgb(JsonNode c) {
        Fixtures.Array a = Fixtures.npy(c.get("rgb").asText());
        return new RgbImage(a.shape()[1], a.shape()[0], a.u8());
    }

    @Test
    void normalisationLookupIsBitIdenticalToNumpy() {
        Fixtures.Array lut = Fixtures.npy("norm_lut.npy"); // [3, 256]
        ClipImageProcessor p = new ClipImageProcessor(ClipImageProcessor.Config.clip336(AspectMode.PAD));
        byte[] levels = new byte[256 * 3];
        for (int v = 0; v < 256; v++) {
            levels[3 * v] = levels[3 * v + 1] = levels[3 * v + 2] = (byte) v;
        }
        float[] out = p.normalize(new RgbImage(256, 1, levels));
        for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToIntBits(lut.f32()[i]), Float.floatToIntBits(out[i]), "lut[" + i + "]");
        }
    }

    @TestFactory
    Stream<DynamicTest> stagesMatchReference() {
        Fixtures.Array lut = Fixtures.npy("norm_lut.npy");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : MANIFEST.get("cases")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("variants").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + "." + v.getKey(), () -> {
                    ClipImageProcessor p = processor(v.getKey());
                    ClipImageProcessor.Stages s = p.stages(pillowRgb(c));
                    Fixtures.Array resized =
                            Fixtures.npy(v.getValue().get("resized").asText());
                    assertEquals(resized.shape()[0], s.resized().height(), "resized height");
                    assertEquals(resized.shape()[1], s.resized().width(), "resized width");
                    assertArrayEquals(resized.u8(), s.resized().rgb(), "resize must match Pillow BICUBIC exactly");
                    int n = p.outputSize() * p.outputSize();
                    assertEquals(3 * n, s.pixels().length);
                    // Every float is the reference's normalised value of the cropped uint8 level.
                    for (int i = 0; i < n; i++) {
                        for (int ch = 0; ch < 3; ch++) {
                            float want = lut.f32()[ch * 256 + (s.cropped().rgb()[3 * i + ch] & 0xff)];
                            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(s.pixels()[ch * n + i]));
                        }
                    }
                    if (v.getValue().has("pixels")) {
                        Fixtures.Array px =
                                Fixtures.npy(v.getValue().get("pixels").asText());
                        assertArrayEquals(new int[] {3, p.outputSize(), p.outputSize()}, px.shape());
                        assertTrue(bitEqual(px.f32(), s.pixels()), "full tensor must be bit-identical");
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Java decode + Java preprocessing vs Pillow decode + reference preprocessing, for every file format. */
    @TestFactory
    Stream<DynamicTest> endToEnd() {
        ImageDecoder decoder = new ImageDecoder();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : MANIFEST.get("cases")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("variants").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                String file = c.get("file").asText();
                tests.add(DynamicTest.dynamicTest(file + "." + v.getKey(), () -> {
                    RgbImage decoded = decoder.decode(Fixtures.bytes(file), file);
                    ClipImageProcessor.Stages s = processor(v.getKey()).stages(decoded);
                    Fixtures.Array resized =
                            Fixtures.npy(v.getValue().get("resized").asText());
                    double[] d = Fixtures.diff(resized.u8(), s.resized().rgb());
                    System.out.printf(
                            "pipeline %-34s %-9s resized max %3.0f mean %.4f%n", file, v.getKey(), d[0], d[1]);
                    if (ImageDecoderFixtureTest.allowedDecodeDiff(file) == 0) {
                        assertArrayEquals(resized.u8(), s.resized().rgb());
                    } else {
                        assertTrue(d[0] <= ImageDecoderFixtureTest.allowedDecodeDiff(file), "max diff " + d[0]);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void padModeUsesMeanColourAndReferenceOffsets() {
        ClipImageProcessor p = new ClipImageProcessor(ClipImageProcessor.Config.clip336(AspectMode.PAD));
        byte[] px = new byte[3 * 4 * 2];
        java.util.Arrays.fill(px, (byte) 9);
        RgbImage wide = p.expandToSquare(new RgbImage(4, 2, px)); // offset (0, (4-2)//2) = row 1
        assertEquals(4, wide.height());
        assertEquals(122, wide.get(0, 0, 0));
        assertEquals(116, wide.get(0, 0, 1));
        assertEquals(104, wide.get(0, 0, 2));
        assertEquals(9, wide.get(0, 1, 0));
        assertEquals(9, wide.get(3, 2, 2));
        assertEquals(122, wide.get(3, 3, 0));
        RgbImage tall = p.expandToSquare(new RgbImage(1, 4, new byte[12])); // offset ((4-1)//2, 0) = column 1
        assertEquals(122, tall.get(0, 0, 0));
        assertEquals(0, tall.get(1, 0, 0));
        assertEquals(122, tall.get(2, 0, 0));
        RgbImage square = new RgbImage(2, 2, new byte[12]);
        assertTrue(square == p.expandToSquare(square), "square images are returned as they are");
    }

    @Test
    void resizeOutputSizeFollowsTransformers431() {
        // short side -> 336, long side int(336 * long / short), truncated
        assertArrayEquals(new int[] {336, 505}, ClipImageProcessor.resizeOutputSize(300, 451, 336));
        assertArrayEquals(new int[] {505, 336}, ClipImageProcessor.resizeOutputSize(451, 300, 336));
        assertArrayEquals(new int[] {336, 336}, ClipImageProcessor.resizeOutputSize(1, 1, 336));
        assertArrayEquals(new int[] {5712, 336}, ClipImageProcessor.resizeOutputSize(17, 1, 336));
        assertArrayEquals(new int[] {336, 500}, ClipImageProcessor.resizeOutputSize(336, 500, 336)); // untouched
        assertArrayEquals(new int[] {224, 298}, ClipImageProcessor.resizeOutputSize(345, 459, 224)); // 298.32
    }

    private static boolean bitEqual(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
