package io.share4v.data.image;

import java.util.Arrays;

/**
 * ShareGPT4V's image path after decoding: optional {@code expand2square} (aspect {@code pad}), then transformers
 * 4.31 {@code CLIPImageProcessor.preprocess}: shortest-edge resize with Pillow BICUBIC, centre crop, rescale,
 * normalise, channels-first. Bit-identical to the Python reference for the same RGB input (see the fixtures
 * written by {@code src/test/python/make_image_fixtures.py}).
 *
 * <p>Known reference quirk NOT reproduced: transformers 4.31 guesses the channel axis from the array shape
 * ({@code infer_channel_dimension_format}: a first dimension of 1 or 3 means channels-first), so an RGB image
 * exactly 1 or 3 pixels tall is misread as channels-first there (height 1 then crashes in {@code normalize},
 * height 3 yields scrambled pixels). This class always treats the image as height x width x RGB.
 */
public final class ClipImageProcessor {
    /** Immutable settings, validated at construction; defaults are the CLIP ViT-L/14-336 processor
     * ({@code openai/clip-vit-large-patch14-336}'s preprocessor_config.json: shortest edge 336, centre crop 336,
     * bicubic, CLIP mean/std). */
    public record Config(int size, int cropSize, double[] mean, double[] std, double rescaleFactor, AspectMode aspect) {
        public static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
        public static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

        public Config {
            require(size >= 1 && size <= 8192, "image.size (shortest edge)", size, "1..8192");
            // The reference zero-pads when the crop exceeds the resized image and then returns a wrongly shaped
            // array for odd differences; no ShareGPT4V setting goes there, so it is refused here.
            require(cropSize >= 1 && cropSize <= size, "image.cropSize", cropSize, "1..image.size (" + size + ")");
            if (mean == null || mean.length != 3 || std == null || std.length != 3) {
                throw new IllegalArgumentException("image.mean and image.std need 3 values (R,G,B), got "
                        + Arrays.toString(mean) + " and " + Arrays.toString(std));
            }
            for (int c = 0; c < 3; c++) {
                require(mean[c] >= 0 && mean[c] <= 1, "image.mean[" + c + "]", mean[c], "0..1");
                require(std[c] > 0 && std[c] <= 10, "image.std[" + c + "]", std[c], "(0, 10]");
            }
            require(rescaleFactor > 0 && rescaleFactor <= 1, "image.rescaleFactor", rescaleFactor, "(0, 1]");
            if (aspect == null) {
                throw new IllegalArgumentException("image.aspect must be pad or square, got null");
            }
            mean = mean.clone();
            std = std.clone();
        }

        /** CLIP ViT-L/14-336 defaults (size 336, crop 336, CLIP mean/std, 1/255) with the given aspect mode. */
        public static Config clip336(AspectMode aspect) {
            return new Config(336, 336, CLIP_MEAN, CLIP_STD, 1 / 255.0, aspect);
        }

        /** Same settings with a different size; the crop follows it, as in a processor built for that size. */
        public Config withSize(int newSize) {
            return new Config(newSize, newSize, mean, std, rescaleFactor, aspect);
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }

        private static void require(boolean ok, String key, Object value, String range) {
            if (!ok) {
                throw new IllegalArgumentException(key + " = " + value + " is outside the allowed range " + range);
            }
        }
    }

    /** Every intermediate the reference produces, for tests and debugging. */
    public record Stages(RgbImage squared, RgbImage resized, RgbImage cropped, float[] pixels) {}

    private final Config config;
    private final int[] background;
    private final float[][] lut; // [channel][uint8 level] -> normalised float32

    public ClipImageProcessor(Config config) {
        this.config = config;
        double[] mean = config.mean();
        double[] std = config.std();
        this.background = new int[3];
        this.lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            // tuple(int(x*255) for x in image_processor.image_mean) in ShareGPT4V's train.py
            background[c] = (int) (mean[c] * 255);
            float m = (float) mean[c]; // np.array(mean, dtype=float32)
            float s = (float) std[c];
            for (int v = 0; v < 256; v++) {
                // rescale: uint8 * python float gives float64, then .astype(float32); normalise in float32.
                float x = (float) (v * config.rescaleFactor());
                lut[c][v] = (x - m) / s;
            }
        }
    }

    public Config config() {
        return config;
    }

    /** Output tensor height and width (the crop size). */
    public int outputSize() {
        return config.cropSize();
    }

    /** The full preprocessing: [3, crop, crop] float32, channels-first, row-major. */
    public float[] preprocess(RgbImage image) {
        return stages(image).pixels();
    }

    public Stages stages(RgbImage image) {
        RgbImage squared = config.aspect() == AspectMode.PAD ? expandToSquare(image) : image;
        RgbImage resized = resizeShortestEdge(squared);
        RgbImage cropped = centerCrop(resized);
        return new Stages(squared, resized, cropped, normalize(cropped));
    }

    /** ShareGPT4V's {@code expand2square}: centre on a square of the mean colour; square inputs come back as-is. */
    public RgbImage expandToSquare(RgbImage img) {
        int w = img.width();
        int h = img.height();
        if (w == h) {
            return img;
        }
        int side = Math.max(w, h);
        int offX = w > h ? 0 : (h - w) / 2;
        int offY = w > h ? (w - h) / 2 : 0;
        byte[] out = new byte[side * side * 3];
        for (int i = 0; i < side * side; i++) {
            out[3 * i] = (byte) background[0];
            out[3 * i + 1] = (byte) background[1];
            out[3 * i + 2] = (byte) background[2];
        }
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.rgb(), y * w * 3, out, ((y + offY) * side + offX) * 3, w * 3);
        }
        return new RgbImage(side, side, out);
    }

    /** transformers 4.31 {@code get_resize_output_image_size(default_to_square=False)} then Pillow BICUBIC. */
    public RgbImage resizeShortestEdge(RgbImage img) {
        int[] hw = resizeOutputSize(img.height(), img.width(), config.size());
        return PillowBicubic.resize(img, hw[1], hw[0]);
    }

    /** {height, width}: the short side becomes {@code size}, the long side {@code int(size * long / short)}. */
    static int[] resizeOutputSize(int height, int width, int size) {
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        if (shortSide == size) {
            return new int[] {height, width};
        }
        // Python's int / int is a correctly rounded double division, then int() truncates.
        int newLong = (int) ((double) ((long) size * longSide) / shortSide);
        return width <= height ? new int[] {newLong, size} : new int[] {size, newLong};
    }

    /**
     * transformers 4.31 {@code center_crop}: offsets {@code (dim - crop) // 2}. The image is never smaller than
     * the crop because {@link Config} requires {@code cropSize <= size}.
     */
    public RgbImage centerCrop(RgbImage img) {
        int crop = config.cropSize();
        int h = img.height();
        int w = img.width();
        if (h == crop && w == crop) {
            return img;
        }
        int top = (h - crop) / 2;
        int left = (w - crop) / 2;
        byte[] out = new byte[crop * crop * 3];
        for (int y = 0; y < crop; y++) {
            System.arraycopy(img.rgb(), ((top + y) * w + left) * 3, out, y * crop * 3, crop * 3);
        }
        return new RgbImage(crop, crop, out);
    }

    /** Rescale and normalise an RGB image into a [3, H, W] float32 array. */
    public float[] normalize(RgbImage img) {
        int n = img.width() * img.height();
        float[] out = new float[3 * n];
        byte[] rgb = img.rgb();
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        for (int i = 0; i < n; i++) {
            out[i] = r[rgb[3 * i] & 0xff];
            out[n + i] = g[rgb[3 * i + 1] & 0xff];
            out[2 * n + i] = b[rgb[3 * i + 2] & 0xff];
        }
        return out;
    }
}
