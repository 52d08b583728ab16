package io.share4v.data.image;

/**
 * The two JPEG header facts that decide the colour conversion: the number of components in the frame header and
 * the Adobe APP14 transform flag (0 = CMYK/RGB as stored, 1 = YCbCr, 2 = YCCK, -1 = no Adobe marker).
 * A marker walk over the bytes before the first scan; no pixel data is touched.
 */
record JpegHeader(int components, int adobeTransform) {
    static JpegHeader scan(byte[] b) {
        int components = -1;
        int transform = -1;
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                i++;
                continue;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            int payload = i + 4;
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && payload + 5 < b.length) {
                components = b[payload + 5] & 0xff;
            } else if (marker == 0xEE
                    && len >= 14
                    && payload + 11 < b.length
                    && b[payload] == 'A'
                    && b[payload + 1] == 'd'
                    && b[payload + 2] == 'o'
                    && b[payload + 3] == 'b'
                    && b[payload + 4] == 'e') {
                transform = b[payload + 11] & 0xff;
            }
            i += 2 + len;
        }
        return new JpegHeader(components, transform);
    }
}
