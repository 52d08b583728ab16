package io.share4v.data.image;

/**
 * An 8-bit RGB image, the Java counterpart of a Pillow image in mode {@code "RGB"} (or of the NumPy array
 * {@code np.array(img)} with shape (height, width, 3)). The array is shared, not copied: treat it as read-only.
 *
 * @param rgb interleaved R,G,B bytes, row-major, {@code width * height * 3} long
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes but " + width + "x" + height
                    + "x3 = " + (long) width * height * 3 + " are needed");
        }
    }

    /** Channel {@code c} (0=R, 1=G, 2=B) of pixel (x, y) as 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }
}
