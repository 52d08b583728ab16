package io.share4v.data.image;

/**
 * The colour conversions Pillow 9.4 performs inside {@code convert('RGB')} and its JPEG decoder, restated from
 * its C sources ({@code Convert.c}, {@code Unpack.c}) and libjpeg's {@code jdcolor.c}. Hand-written because no
 * Java library reproduces Pillow's integer formulas; ImageIO would colour-manage instead.
 */
final class PillowColor {
    private PillowColor() {}

    /** {@code cmyk2rgb}: no colour management, just {@code nk - c*nk/255} with Pillow's rounding division. */
    static int cmykToRgbChannel(int c, int k) {
        int nk = 255 - k;
        return clip8(nk - mulDiv255(c, nk));
    }

    /** Pillow's MULDIV255: {@code a*b/255} rounded, computed with shifts. */
    static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /**
     * Mode {@code "I"} (what Pillow makes of a 16-bit grayscale PNG) to RGB clips rather than scales: every level
     * above 255 becomes white. Verified against Pillow in the fixtures ({@code png_gray16_*}).
     */
    static int int32ToRgbChannel(int v) {
        return clip8(v);
    }

    // libjpeg's YCC -> RGB tables (jdcolor.c, SCALEBITS = 16); the Java side reads raw components (readRaster) and
    // converts them itself with exactly the arithmetic libjpeg runs inside Pillow.
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    /** libjpeg {@code ycc_rgb_convert}. Writes R,G,B at {@code out[o..o+2]}. */
    static void yccToRgb(int y, int cb, int cr, byte[] out, int o) {
        out[o] = (byte) clip8(y + CR_R[cr]);
        out[o + 1] = (byte) clip8(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
        out[o + 2] = (byte) clip8(y + CB_B[cb]);
    }

    /**
     * libjpeg {@code ycck_cmyk_convert} followed by Pillow's {@code CMYK;I} unpacking (Adobe files store
     * inverted CMYK) and {@code cmyk2rgb}. Writes R,G,B at {@code out[o..o+2]}.
     */
    static void ycckToRgb(int y, int cb, int cr, int k, byte[] out, int o) {
        int c = clip8(255 - (y + CR_R[cr]));
        int m = clip8(255 - (y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)));
        int ye = clip8(255 - (y + CB_B[cb]));
        cmykInvertedToRgb(c, m, ye, k, out, o);
    }

    /** Adobe-convention (inverted) CMYK samples as stored in the file, to RGB the way Pillow does it. */
    static void cmykInvertedToRgb(int c, int m, int y, int k, byte[] out, int o) {
        int kk = 255 - k;
        out[o] = (byte) cmykToRgbChannel(255 - c, kk);
        out[o + 1] = (byte) cmykToRgbChannel(255 - m, kk);
        out[o + 2] = (byte) cmykToRgbChannel(255 - y, kk);
    }
}
