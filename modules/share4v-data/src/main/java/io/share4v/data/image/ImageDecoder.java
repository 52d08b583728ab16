package io.share4v.data.image;

import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image bytes to RGB the way the reference does: {@code Image.open(f).convert('RGB')} with Pillow 9.4.
 *
 * <ul>
 *   <li>Alpha is dropped, not composited; palettes are expanded (tRNS ignored); gray is replicated.</li>
 *   <li>16-bit samples keep their high byte (Pillow's {@code ;16B} unpackers), except 16-bit grayscale without
 *       alpha, which Pillow opens as mode {@code "I"} and clips to 0..255 on conversion.</li>
 *   <li>CMYK/YCCK JPEGs use Pillow's naive {@code cmyk2rgb}; embedded ICC profiles and EXIF orientation are
 *       ignored, as Pillow's {@code convert} ignores them. Pixels are read from the raster, never through a
 *       colour model, so ImageIO never colour-manages them.</li>
 *   <li>A GIF is its first frame placed on the logical screen, the rest filled as Pillow does
 *       ({@link GifCanvas}).</li>
 *   <li>The container is detected from the leading bytes, not the file name (OCR-VQA stores GIFs and PNGs as
 *       {@code .jpg}).</li>
 * </ul>
 * Every failure is a {@link RecordRejectedException} ({@code ZERO_BYTE_IMAGE}, {@code CORRUPT_IMAGE},
 * {@code IMAGE_TOO_LARGE}); the pixel limit is checked from the header before any pixel is decoded.
 * Instances are immutable and thread-safe (each call creates its own ImageIO reader).
 */
public final class ImageDecoder {
    /** Pillow's DecompressionBombError threshold: {@code 2 * Image.MAX_IMAGE_PIXELS} = 2 * 89,478,485. */
    public static final long PILLOW_BOMB_LIMIT = 178_956_970L;

    private final long maxPixels;

    public ImageDecoder() {
        this(PILLOW_BOMB_LIMIT);
    }

    /** @param maxPixels images with more than this many pixels are rejected as {@code IMAGE_TOO_LARGE} */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("image.maxPixels must be >= 1, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public RgbImage decode(Path file) throws RecordRejectedException {
        return decode(readAll(file), file.toString());
    }

    /** @param name used only in rejection details (file name or record id) */
    public RgbImage decode(byte[] bytes, String name) throws RecordRejectedException {
        Format format = sniff(bytes, name);
        ImageReader reader = format.newReader();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
            reader.addIIOReadWarningListener(listener);
            Header header = readHeader(reader, format, name);
            RgbImage image = format == Format.JPEG
                    ? decodeJpeg(reader, bytes, header.width(), header.height(), name)
                    : toRgb(reader.read(0), name);
            if (header.gif() != null) {
                image = header.gif().compose(image);
            }
            for (String w : warnings) {
                // A JPEG that ends early (even one missing only its EOI marker) makes Pillow raise "image file is
                // truncated", while libjpeg and TwelveMonkeys merely warn and pad with gray. Other libjpeg
                // warnings (e.g. extraneous bytes before a marker) Pillow ignores, and so do we.
                String lower = w.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("premature end") || lower.contains("missing eoi")) {
                    throw reject(RejectReason.CORRUPT_IMAGE, name, "truncated " + format.label + " (" + w + ")");
                }
            }
            return image;
        } catch (RecordRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO signals bad data with IIOException but also with assorted runtime exceptions
            // (IndexOutOfBounds, IllegalArgument, CMMException); all of them mean "cannot decode this file".
            throw reject(
                    RejectReason.CORRUPT_IMAGE,
                    name,
                    "cannot decode " + format.label + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }

    /** Reads format and size from the header only, applying the same zero-byte, format and size checks. */
    public ImageInfo probe(byte[] bytes, String name) throws RecordRejectedException {
        Format format = sniff(bytes, name);
        ImageReader reader = format.newReader();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            Header header = readHeader(reader, format, name);
            return new ImageInfo(format.label, header.width(), header.height());
        } catch (RecordRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw reject(
                    RejectReason.CORRUPT_IMAGE,
                    name,
                    "cannot read " + format.label + " header: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }

    /** {@link #probe(byte[], String)} for bytes without a name (details then say {@code <bytes>}). */
    public ImageInfo probe(byte[] bytes) throws RecordRejectedException {
        return probe(bytes, "<bytes>");
    }

    public ImageInfo probe(Path file) throws RecordRejectedException {
        return probe(readAll(file), file.toString());
    }

    private static byte[] readAll(Path file) throws RecordRejectedException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw reject(RejectReason.MISSING_IMAGE, file.toString(), "cannot read: " + e);
        }
    }

    /** The size Pillow reports ({@code Image.open(f).size}), checked against the limits; a GIF's canvas too. */
    private record Header(int width, int height, GifCanvas gif) {}

    private Header readHeader(ImageReader reader, Format format, String name)
            throws IOException, RecordRejectedException {
        GifCanvas gif = format == Format.GIF ? GifCanvas.read(reader) : null;
        Header header = gif != null
                ? new Header(gif.width(), gif.height(), gif)
                : new Header(reader.getWidth(0), reader.getHeight(0), null);
        checkSize(header.width(), header.height(), name);
        return header;
    }

    private void checkSize(int width, int height, String name) throws RecordRejectedException {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw reject(RejectReason.CORRUPT_IMAGE, name, "header gives size " + width + "x" + height);
        }
        if (pixels > maxPixels) {
            throw reject(
                    RejectReason.IMAGE_TOO_LARGE,
                    name,
                    width + "x" + height + " = " + pixels + " pixels exceeds the limit of " + maxPixels
                            + " (decompression-bomb guard)");
        }
    }

    private static RecordRejectedException reject(RejectReason reason, String name, String detail) {
        return new RecordRejectedException(reason, name + ": " + detail);
    }

    // ------------------------------------------------------------------------------------------------- formats

    private enum Format {
        JPEG("JPEG"),
        PNG("PNG"),
        GIF("GIF"),
        BMP("BMP"),
        WEBP("WebP");

        final String label;

        Format(String label) {
            this.label = label;
        }

        ImageReader newReader() {
            return switch (this) {
                case JPEG -> Readers.create(Readers.JPEG);
                case WEBP -> Readers.create(Readers.WEBP);
                case BMP -> Readers.create(Readers.BMP);
                case PNG, GIF -> Readers.jdk(label.toLowerCase());
            };
        }
    }

    /**
     * The TwelveMonkeys SPIs are registered explicitly, so decoding does not depend on the ImageIO registry having
     * scanned the right class loader (Spark executors load application jars in child loaders). Registration also
     * lets the JPEG SPI find the JDK decoder it delegates the entropy decoding and IDCT to.
     */
    private static final class Readers {
        static final ImageReaderSpi JPEG = register(new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi());
        static final ImageReaderSpi WEBP = register(new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi());
        static final ImageReaderSpi BMP = register(new com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi());

        private static ImageReaderSpi register(ImageReaderSpi spi) {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            ImageReaderSpi existing = registry.getServiceProviderByClass(spi.getClass());
            if (existing != null) {
                return existing;
            }
            registry.registerServiceProvider(spi, ImageReaderSpi.class);
            return spi;
        }

        static ImageReader create(ImageReaderSpi spi) {
            try {
                return spi.createReaderInstance();
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + spi.getDescription(null), e);
            }
        }

        static ImageReader jdk(String formatName) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(formatName);
            while (it.hasNext()) {
                ImageReader r = it.next();
                if (r.getClass().getName().startsWith("com.sun.imageio.")) {
                    return r;
                }
            }
            throw new IllegalStateException("the JDK's " + formatName + " ImageIO reader is missing");
        }
    }

    private static Format sniff(byte[] b, String name) throws RecordRejectedException {
        if (b.length == 0) {
            throw reject(RejectReason.ZERO_BYTE_IMAGE, name, "file is empty (0 bytes)");
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return Format.JPEG;
        }
        if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
            return Format.PNG;
        }
        if (startsWith(b, 0, "GIF87a".getBytes()) || startsWith(b, 0, "GIF89a".getBytes())) {
            return Format.GIF;
        }
        if (startsWith(b, 0, "BM".getBytes())) {
            return Format.BMP;
        }
        if (startsWith(b, 0, "RIFF".getBytes()) && startsWith(b, 8, "WEBP".getBytes())) {
            return Format.WEBP;
        }
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            head.append(String.format("%02x", b[i] & 0xff));
        }
        throw reject(
                RejectReason.CORRUPT_IMAGE,
                name,
                "not a JPEG, PNG, GIF, BMP or WebP file (first bytes " + head + ", " + b.length + " bytes)");
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------- JPEG

    /**
     * JPEGs are read as raw components ({@code readRaster}) and converted here with libjpeg's own integer
     * formulas: TwelveMonkeys would otherwise colour-manage images with an embedded ICC profile (and CMYK with a
     * default profile), which Pillow never does. Upsampling and IDCT still happen in the JDK's libjpeg, which
     * matches libjpeg-turbo's defaults (ISLOW IDCT, fancy upsampling) bit for bit on the fixtures.
     */
    private static RgbImage decodeJpeg(ImageReader reader, byte[] bytes, int width, int height, String name)
            throws IOException, RecordRejectedException {
        JpegHeader header = JpegHeader.scan(bytes);
        int n = header.components();
        if (n != 1 && n != 3 && n != 4) {
            throw reject(RejectReason.CORRUPT_IMAGE, name, "JPEG with " + n + " components is not supported");
        }
        Raster raster = reader.readRaster(0, null);
        if (raster.getNumBands() != n || raster.getWidth() != width || raster.getHeight() != height) {
            throw reject(
                    RejectReason.CORRUPT_IMAGE,
                    name,
                    "decoder returned " + raster.getNumBands() + " bands of "
                            + raster.getWidth() + "x" + raster.getHeight() + ", header says " + n + " of " + width + "x"
                            + height);
        }
        // libjpeg's colour-space guess: Adobe transform 0 means stored RGB (3) or CMYK (4); 2 means YCCK;
        // otherwise three components are YCbCr.
        boolean rawRgb = n == 3 && header.adobeTransform() == 0;
        boolean ycck = n == 4 && header.adobeTransform() == 2;
        byte[] rgb = new byte[width * height * 3];
        int[] px = new int[width * n];
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, px);
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                int p = x * n;
                if (n == 1) {
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = (byte) px[p];
                } else if (n == 3 && rawRgb) {
                    rgb[o] = (byte) px[p];
                    rgb[o + 1] = (byte) px[p + 1];
                    rgb[o + 2] = (byte) px[p + 2];
                } else if (n == 3) {
                    PillowColor.yccToRgb(px[p], px[p + 1], px[p + 2], rgb, o);
                } else if (ycck) {
                    PillowColor.ycckToRgb(px[p], px[p + 1], px[p + 2], px[p + 3], rgb, o);
                } else {
                    PillowColor.cmykInvertedToRgb(px[p], px[p + 1], px[p + 2], px[p + 3], rgb, o);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    // ------------------------------------------------------------------------------------------ everything else

    /** Reads samples straight from the raster, so no colour model or ICC profile can change them. */
    private static RgbImage toRgb(BufferedImage img, String name) throws RecordRejectedException {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        int bands = raster.getNumBands();
        byte[] rgb = new byte[w * h * 3];
        int[] px = new int[w * bands];
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            byte[] r = new byte[size];
            byte[] g = new byte[size];
            byte[] b = new byte[size];
            icm.getReds(r);
            icm.getGreens(g);
            icm.getBlues(b);
            for (int y = 0; y < h; y++) {
                raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
                for (int x = 0; x < w; x++) {
                    int i = px[x * bands];
                    if (i >= size) {
                        throw reject(RejectReason.CORRUPT_IMAGE, name, "palette index " + i + " >= " + size);
                    }
                    int o = (y * w + x) * 3;
                    rgb[o] = r[i];
                    rgb[o + 1] = g[i];
                    rgb[o + 2] = b[i];
                }
            }
            return new RgbImage(w, h, rgb);
        }
        int colorBands = cm.getNumColorComponents();
        boolean sixteen = raster.getTransferType() == DataBuffer.TYPE_USHORT;
        int bits = cm.getComponentSize(0);
        if (!sixteen && bits > 8 || (colorBands != 1 && colorBands != 3)) {
            throw reject(
                    RejectReason.CORRUPT_IMAGE,
                    name,
                    "unsupported pixel layout: " + colorBands + " colour bands of " + bits + " bits");
        }
        // 16-bit gray without alpha is Pillow mode "I": clipped. Every other 16-bit layout keeps the high byte.
        boolean clipGray16 = sixteen && colorBands == 1 && !cm.hasAlpha();
        int lowBitsMax = (1 << bits) - 1;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                int p = x * bands;
                for (int c = 0; c < 3; c++) {
                    int v = px[p + (colorBands == 1 ? 0 : c)];
                    if (clipGray16) {
                        v = PillowColor.int32ToRgbChannel(v);
                    } else if (sixteen) {
                        v >>= 8;
                    } else if (bits < 8) {
                        v = v * 255 / lowBitsMax; // 1/2/4-bit gray: Pillow's L;1/L;2/L;4 unpackers scale exactly so
                    }
                    rgb[o + c] = (byte) v;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
