package io.share4v.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClipConfigTest {
    private static final double[] M = ClipImageProcessor.Config.CLIP_MEAN;
    private static final double[] S = ClipImageProcessor.Config.CLIP_STD;

    @Test
    void defaultsAreClip336() {
        ClipImageProcessor.Config c = ClipImageProcessor.Config.clip336(AspectMode.SQUARE);
        assertEquals(336, c.size());
        assertEquals(336, c.cropSize());
        assertEquals(1 / 255.0, c.rescaleFactor());
        assertEquals(0.00392156862745098, c.rescaleFactor()); // the preprocessor_config.json literal
    }

    @Test
    void invalidValuesNameTheKeyAndRange() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ClipImageProcessor.Config(336, 400, M, S, 1 / 255.0, AspectMode.PAD));
        assertTrue(e.getMessage().contains("image.cropSize = 400"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClipImageProcessor.Config(0, 0, M, S, 1 / 255.0, AspectMode.PAD));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClipImageProcessor.Config(336, 336, new double[] {0.5}, S, 1 / 255.0, AspectMode.PAD));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new ClipImageProcessor.Config(
                        336, 336, M, new double[] {0.2, 0, 0.2}, 1 / 255.0, AspectMode.PAD));
        assertTrue(e.getMessage().contains("image.std[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AspectMode.parse("anyres"));
    }

    @Test
    void pillowCmykConversionMatchesExhaustively() {
        Fixtures.Array lut = Fixtures.npy("cmyk_lut.npy"); // [c, k] -> R of Pillow's convert('RGB')
        for (int c = 0; c < 256; c++) {
            for (int k = 0; k < 256; k++) {
                assertEquals(lut.u8()[c * 256 + k] & 0xff, PillowColor.cmykToRgbChannel(c, k), "c=" + c + " k=" + k);
            }
        }
    }
}
