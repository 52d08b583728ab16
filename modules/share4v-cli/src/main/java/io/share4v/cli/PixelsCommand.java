package io.share4v.cli;

import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.image.RgbImage;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.tensor.Npy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v pixels}: one image through the exact training-time preprocessing, written as the [3,H,W] float32
 * tensor the vision tower would see. Used to diff against the Python reference.
 */
@Command(
        name = "pixels",
        mixinStandardHelpOptions = true,
        description = "Decode an image and write its CLIP pixel tensor [3,size,size] (float32) as .npy.")
public final class PixelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--image", required = true, description = "Image file (JPEG, PNG, GIF, BMP or WebP).")
    Path image;

    @Option(names = "--aspect", required = true, description = "pad (stage 2 / most evals) or square (stage 1).")
    String aspect;

    @Option(
            names = "--size",
            defaultValue = "336",
            description = "Shortest edge and crop size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--out", required = true, description = "Output .npy file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ClipImageProcessor processor = new ClipImageProcessor(
                ClipImageProcessor.Config.clip336(AspectMode.parse(aspect)).withSize(size));
        RgbImage rgb;
        try {
            rgb = new ImageDecoder().decode(image);
        } catch (RecordRejectedException e) {
            spec.commandLine().getErr().println("share4v pixels: error: " + e.reason() + ": " + e.detail());
            return 2;
        }
        float[] pixels = processor.preprocess(rgb);
        int s = processor.outputSize();
        Npy.writeFloat32(out, new int[] {3, s, s}, pixels);
        spec.commandLine()
                .getOut()
                .println("wrote " + out + " [3, " + s + ", " + s + "] from " + image + " (" + rgb.width() + "x"
                        + rgb.height() + ", aspect " + aspect + ")");
        return 0;
    }
}
