package io.share4v.data.image;

/**
 * {@code Image.resize(size, Image.BICUBIC)} for RGB images, reproducing Pillow 9.4's {@code ImagingResample}
 * (libImaging/Resample.c) bit for bit. Hand-written because the reference quantises in a very particular way that
 * no Java imaging library copies:
 * <ul>
 *   <li>separable filter, horizontal pass first (only over the rows the vertical pass will read), then vertical;</li>
 *   <li>cubic convolution with a = -0.5 and support 2, widened by the downscale factor (antialiasing);</li>
 *   <li>weights computed in double, normalised to sum 1, then rounded to 22-bit fixed point;</li>
 *   <li>int accumulation starting at the rounding half, {@code >> 22} and clipping to 0..255 after EACH pass.</li>
 * </ul>
 * A pass whose size does not change is skipped, and an unchanged size returns the input, as in Pillow.
 */
final class PillowBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PillowBicubic() {}

    static RgbImage resize(RgbImage in, int outWidth, int outHeight) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + outWidth + "x" + outHeight);
        }
        if (outWidth == in.width() && outHeight == in.height()) {
            return in;
        }
        Coefficients vert = Coefficients.of(in.height(), outHeight);
        byte[] src = in.rgb();
        int srcWidth = in.width();
        int firstRow = 0;
        int rows = in.height();
        if (outWidth != in.width()) {
            // Like Pillow, resample horizontally only the source rows the vertical pass touches.
            firstRow = vert.bounds[0];
            int lastRow = vert.bounds[2 * (outHeight - 1)] + vert.bounds[2 * (outHeight - 1) + 1];
            rows = lastRow - firstRow;
            src = horizontal(src, srcWidth, firstRow, rows, Coefficients.of(in.width(), outWidth));
            srcWidth = outWidth;
        }
        if (outHeight == in.height()) {
            return new RgbImage(srcWidth, rows, src);
        }
        return new RgbImage(srcWidth, outHeight, vertical(src, srcWidth, firstRow, vert));
    }

    // Pillow's bicubic_filter, same operation order so that the doubles match.
    static double filter(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Per output index: first input index, tap count and fixed-point weights ({@code ksize} per output). */
    static final class Coefficients {
        final int ksize;
        final int[] bounds; // [2*out]: xmin, count
        final int[] weights; // [out*ksize], 22-bit fixed point

        private Coefficients(int ksize, int[] bounds, int[] weights) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.weights = weights;
        }

        static Coefficients of(int inSize, int outSize) {
            // box = (0, inSize): Pillow computes in1 - in0 in float, exact for any image size below 2^24.
            double scale = (double) (float) inSize / outSize;
            double filterscale = Math.max(scale, 1.0);
            double support = SUPPORT * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] weights = new int[outSize * ksize];
            double[] k = new double[ksize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = 0.0 + (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterscale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = filter((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) {
                        k[x] /= ww;
                    }
                    double v = k[x] * (1 << PRECISION_BITS);
                    weights[xx * ksize + x] = k[x] < 0 ? (int) (-0.5 + v) : (int) (0.5 + v);
                }
                bounds[2 * xx] = xmin;
                bounds[2 * xx + 1] = xmax;
            }
            return new Coefficients(ksize, bounds, weights);
        }
    }

    private static int clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static byte[] horizontal(byte[] src, int srcWidth, int firstRow, int rows, Coefficients c) {
        int outWidth = c.bounds.length / 2;
        byte[] out = new byte[outWidth * rows * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < rows; yy++) {
            int rowBase = (yy + firstRow) * srcWidth * 3;
            int outBase = yy * outWidth * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int xmin = c.bounds[2 * xx];
                int n = c.bounds[2 * xx + 1];
                int kBase = xx * c.ksize;
                int s0 = half;
                int s1 = half;
                int s2 = half;
                int p = rowBase + xmin * 3;
                for (int x = 0; x < n; x++, p += 3) {
                    int w = c.weights[kBase + x];
                    s0 += (src[p] & 0xff) * w;
                    s1 += (src[p + 1] & 0xff) * w;
                    s2 += (src[p + 2] & 0xff) * w;
                }
                int o = outBase + xx * 3;
                out[o] = (byte) clip8(s0);
                out[o + 1] = (byte) clip8(s1);
                out[o + 2] = (byte) clip8(s2);
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] src, int width, int firstRow, Coefficients c) {
        int outHeight = c.bounds.length / 2;
        byte[] out = new byte[width * outHeight * 3];
        int half = 1 << (PRECISION_BITS - 1);
        int stride = width * 3;
        int[] acc = new int[stride];
        for (int yy = 0; yy < outHeight; yy++) {
            // Pillow shifts the vertical bounds by the first row kept by the horizontal pass.
            int ymin = c.bounds[2 * yy] - firstRow;
            int n = c.bounds[2 * yy + 1];
            int kBase = yy * c.ksize;
            java.util.Arrays.fill(acc, half);
            for (int y = 0; y < n; y++) {
                int w = c.weights[kBase + y];
                int rowBase = (ymin + y) * stride;
                for (int i = 0; i < stride; i++) {
                    acc[i] += (src[rowBase + i] & 0xff) * w;
                }
            }
            int outBase = yy * stride;
            for (int i = 0; i < stride; i++) {
                out[outBase + i] = (byte) clip8(acc[i]);
            }
        }
        return out;
    }
}
