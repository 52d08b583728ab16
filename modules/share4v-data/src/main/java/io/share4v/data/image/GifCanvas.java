package io.share4v.data.image;

import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * Where the first frame of a GIF sits, as Pillow 9.4 sees it. Pillow opens a GIF at the size of its logical screen
 * (grown to hold the frame when the frame reaches past it), not at the frame's size, and fills everything outside
 * the frame with one palette index: the frame's transparency index when it has one, otherwise 0. The background
 * colour index of the screen descriptor is ignored. The JDK reader returns only the frame, so the canvas is built
 * from its metadata here.
 *
 * @param fillRgb the colour of the fill index in the frame's colour table (local, else global); an index past the
 *     table is gray {@code (i, i, i)}, because Pillow's palettes start as a gray ramp before the file's entries
 *     are copied in
 */
record GifCanvas(int width, int height, int frameLeft, int frameTop, byte[] fillRgb) {
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";
    private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";

    /** Reads the screen and first-frame descriptors; {@code reader} must have its input set. */
    static GifCanvas read(ImageReader reader) throws IOException {
        Node stream = reader.getStreamMetadata().getAsTree(STREAM_FORMAT);
        Node image = reader.getImageMetadata(0).getAsTree(IMAGE_FORMAT);
        IIOMetadataNode screen = child(stream, "LogicalScreenDescriptor");
        IIOMetadataNode frame = child(image, "ImageDescriptor");
        int left = intAttr(frame, "imageLeftPosition");
        int top = intAttr(frame, "imageTopPosition");
        int width = Math.max(
                screen == null ? 0 : intAttr(screen, "logicalScreenWidth"), left + intAttr(frame, "imageWidth"));
        int height = Math.max(
                screen == null ? 0 : intAttr(screen, "logicalScreenHeight"), top + intAttr(frame, "imageHeight"));
        IIOMetadataNode control = child(image, "GraphicControlExtension");
        int fillIndex = control != null && "TRUE".equalsIgnoreCase(control.getAttribute("transparentColorFlag"))
                ? intAttr(control, "transparentColorIndex")
                : 0;
        IIOMetadataNode table = child(image, "LocalColorTable");
        if (table == null) {
            table = child(stream, "GlobalColorTable");
        }
        return new GifCanvas(width, height, left, top, tableColour(table, fillIndex));
    }

    /** Pastes the decoded frame onto a canvas filled with {@link #fillRgb()}. */
    RgbImage compose(RgbImage frame) {
        if (frameLeft == 0 && frameTop == 0 && frame.width() == width && frame.height() == height) {
            return frame;
        }
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = fillRgb[0];
            rgb[i + 1] = fillRgb[1];
            rgb[i + 2] = fillRgb[2];
        }
        int rowBytes = frame.width() * 3;
        for (int y = 0; y < frame.height(); y++) {
            System.arraycopy(frame.rgb(), y * rowBytes, rgb, ((frameTop + y) * width + frameLeft) * 3, rowBytes);
        }
        return new RgbImage(width, height, rgb);
    }

    private static byte[] tableColour(IIOMetadataNode table, int index) {
        if (table != null) {
            for (Node n = table.getFirstChild(); n != null; n = n.getNextSibling()) {
                IIOMetadataNode entry = (IIOMetadataNode) n;
                if (intAttr(entry, "index") == index) {
                    return new byte[] {
                        (byte) intAttr(entry, "red"), (byte) intAttr(entry, "green"), (byte) intAttr(entry, "blue")
                    };
                }
            }
        }
        return new byte[] {(byte) index, (byte) index, (byte) index};
    }

    private static IIOMetadataNode child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return (IIOMetadataNode) n;
            }
        }
        return null;
    }

    private static int intAttr(IIOMetadataNode node, String name) {
        return Integer.parseInt(node.getAttribute(name));
    }
}
