package io.share4v.data.image;

/**
 * What the file header says, read without decoding pixels (cheap enough for the sharding job to run on every
 * referenced image).
 *
 * @param format the container detected from the leading bytes (not the file name), e.g. {@code "JPEG"}
 */
public record ImageInfo(String format, int width, int height) {
    public long pixels() {
        return (long) width * height;
    }
}
