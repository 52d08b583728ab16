package io.share4v.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.tensor.ops.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the model benchmark commands share: process memory, load, thread setup, synthetic images, JSON. */
final class BenchSupport {
    private BenchSupport() {}

    /** {@code VmHWM} (peak resident set) of this process in MB, from /proc/self/status; -1 off Linux. */
    static double peakRssMb() {
        return procStatusMb("VmHWM:");
    }

    /** {@code VmRSS} (current resident set) in MB. */
    static double rssMb() {
        return procStatusMb("VmRSS:");
    }

    private static double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] f = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) / 1024.0;   // kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The 1, 5 and 15 minute load averages (other processes compete for the cores: read next to every time). */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }

    /** {@code count} random CLIP-normalised images {@code [3*S*S]} (uniform 8-bit pixels, fixed seed). */
    static float[][] images(ClipVisionConfig v, int count, long seed) {
        Random r = new Random(seed);
        int s = v.imageSize();
        int plane = s * s;
        float[][] out = new float[count][v.numChannels() * plane];
        for (float[] img : out) {
            for (int c = 0; c < v.numChannels(); c++) {
                // CLIP's normalisation, so the bench pixels look like real preprocessed ones
                float mean = (float) ClipImageProcessor.Config.CLIP_MEAN[c % 3];
                float std = (float) ClipImageProcessor.Config.CLIP_STD[c % 3];
                for (int i = 0; i < plane; i++) {
                    img[c * plane + i] = (r.nextInt(256) / 255f - mean) / std;
                }
            }
        }
        return out;
    }

    /** Median of the values (the mean of the middle two for an even count). */
    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    /** FP32 GEMM {@code n x n x n} through the kernels: best and median GFLOP/s of {@code reps} runs. */
    static double[] gemmGflops(Kernels k, int n, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.zeros(DataType.FLOAT, n, n);
        k.gemm(c, a, false, b, false, 1f, 0f);   // warm-up
        double[] g = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            k.gemm(c, a, false, b, false, 1f, 0f);
            g[i] = 2.0 * n * n * n / (System.nanoTime() - t0);
        }
        return new double[] {Arrays.stream(g).max().orElse(0), median(g)};
    }

    static String json(Map<String, Object> fields) {
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write benchmark JSON", e);
        }
    }
}
