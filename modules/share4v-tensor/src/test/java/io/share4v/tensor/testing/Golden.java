package io.share4v.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Npy;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A directory of reference fixtures written by a Python script (npy arrays, checkpoints, JSON): the arrays as
 * tensors or Java arrays in their stored shape, the {@code weights/<tensor>.npy} files into a flat parameter
 * buffer, and comparisons whose failure message names the array, the measure and the worst element.
 */
public final class Golden {
    /** A comparison of ours with a golden array; {@code worstIndex} is the flat index of the largest difference. */
    public record Difference(String name, String measure, double error, long worstIndex, double ours, double golden) {
        /** Fails unless {@code error <= tolerance}; returns this for printing. */
        public Difference assertAtMost(double tolerance) {
            assertTrue(error <= tolerance, () -> this + " > " + tolerance);
            return this;
        }

        @Override
        public String toString() {
            return name + ": " + measure + " = " + error + " (largest difference at element " + worstIndex + ": ours "
                    + ours + ", golden " + golden + ")";
        }
    }

    private final Path dir;

    private Golden(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no golden fixture directory " + dir.toAbsolutePath());
        }
        this.dir = dir;
    }

    /** The fixtures in a directory of the file system (e.g. another module's test resources). */
    public static Golden at(Path dir) {
        return new Golden(dir);
    }

    /** The fixtures in the class-path directory {@code name} (e.g. {@code "/golden/tiny"}) next to {@code anchor}. */
    public static Golden resource(Class<?> anchor, String name) {
        URL url = anchor.getResource(name);
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IllegalArgumentException(
                    "golden fixtures " + name + " are not a directory on the class path: " + url);
        }
        try {
            return new Golden(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path path(String relative) {
        return dir.resolve(relative);
    }

    /** The fixtures below {@code relative}, e.g. {@code sub("fp32")} for one precision's outputs. */
    public Golden sub(String relative) {
        return new Golden(dir.resolve(relative));
    }

    /** An npy file of any numeric dtype as a tensor of {@code backend} and {@code type} in its stored shape. */
    public Tensor tensor(String relative, Backend backend, DType type) {
        Npy.DoubleArray a = read(relative);
        return Tensors.of(
                backend, type, a.data(), Arrays.stream(a.shape()).asLongStream().toArray());
    }

    /** An npy file flattened to doubles. */
    public double[] doubles(String relative) {
        return read(relative).data();
    }

    /** An npy file flattened to floats. */
    public float[] floats(String relative) {
        double[] d = doubles(relative);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    /** An integer npy file (int32 or int64) flattened. */
    public int[] ints(String relative) {
        return Arrays.stream(doubles(relative)).mapToInt(x -> (int) x).toArray();
    }

    /** A 2-D integer npy file as rows. */
    public int[][] intRows(String relative) {
        Npy.DoubleArray a = read(relative);
        if (a.shape().length != 2) {
            throw new IllegalArgumentException(relative + " has shape " + Arrays.toString(a.shape()) + ", not 2-D");
        }
        int rows = a.shape()[0];
        int cols = a.shape()[1];
        int[][] out = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = (int) a.data()[r * cols + c];
            }
        }
        return out;
    }

    /** The only element of an npy file (e.g. a loss). */
    public double scalar(String relative) {
        double[] d = doubles(relative);
        assertEquals(1, d.length, relative + " holds one value");
        return d[0];
    }

    /** Fills every tensor of {@code layout} in {@code flat} from {@code weights/<name>.npy}, converted to its dtype. */
    public void weightsInto(ParamLayout layout, Tensor flat) {
        for (ParamLayout.Entry e : layout.entries()) {
            Tensor view = layout.view(flat, e.name());
            Npy.DoubleArray w = read("weights/" + e.name() + ".npy");
            long[] shape = Arrays.stream(w.shape()).asLongStream().toArray();
            if (!Arrays.equals(view.shape(), shape)) {
                throw new IllegalArgumentException("weights/" + e.name() + ".npy has shape " + Arrays.toString(shape)
                        + ", the layout " + Arrays.toString(view.shape()));
            }
            Tensors.assign(view, Tensors.of(Tensors.java(), DType.DOUBLE, w.data(), shape));
        }
    }

    /** {@code max |ours - golden| / max |golden|}, both flattened. */
    public static Difference maxRel(String name, Tensor ours, Tensor golden) {
        return maxRel(name, Tensors.doubles(ours), Tensors.doubles(golden));
    }

    /** {@code max |ours - golden| / max |golden|}. */
    public static Difference maxRel(String name, double[] ours, double[] golden) {
        assertEquals(golden.length, ours.length, name + ": element count");
        double scale = 0;
        for (double g : golden) {
            scale = Math.max(scale, Math.abs(g));
        }
        int worst = worstIndex(ours, golden);
        double diff = golden.length == 0 ? 0 : Math.abs(ours[worst] - golden[worst]);
        return difference(name, "max |ours - golden| / max |golden|", diff / scale, worst, ours, golden);
    }

    /** {@code ||ours - golden|| / ||golden||}, both flattened. */
    public static Difference normRel(String name, Tensor ours, Tensor golden) {
        double[] o = Tensors.doubles(ours);
        double[] g = Tensors.doubles(golden);
        assertEquals(g.length, o.length, name + ": element count");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < g.length; i++) {
            diff += (o[i] - g[i]) * (o[i] - g[i]);
            norm += g[i] * g[i];
        }
        return difference(
                name, "||ours - golden|| / ||golden||", Math.sqrt(diff) / Math.sqrt(norm), worstIndex(o, g), o, g);
    }

    private static Difference difference(
            String name, String measure, double error, int worst, double[] ours, double[] golden) {
        return golden.length == 0
                ? new Difference(name, measure, error, -1, Double.NaN, Double.NaN)
                : new Difference(name, measure, error, worst, ours[worst], golden[worst]);
    }

    private static int worstIndex(double[] ours, double[] golden) {
        int worst = 0;
        for (int i = 1; i < golden.length; i++) {
            if (Math.abs(ours[i] - golden[i]) > Math.abs(ours[worst] - golden[worst])) {
                worst = i;
            }
        }
        return worst;
    }

    private Npy.DoubleArray read(String relative) {
        try {
            return Npy.readAsDouble(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
