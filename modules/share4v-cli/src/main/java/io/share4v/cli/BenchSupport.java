package io.share4v.cli;

import io.share4v.tensor.ops.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Measurements the benchmark commands share: process memory, load average, summary statistics, GEMM peak. */
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
                    return Long.parseLong(f[0]) / 1024.0; // kB
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

    /** Every value rounded to {@code digits} decimals. */
    static double[] round(double[] xs, int digits) {
        return Arrays.stream(xs).map(x -> round(x, digits)).toArray();
    }

    /** FP32 GEMM {@code n x n x n} through the kernels: best and median GFLOP/s of {@code reps} runs. */
    static double[] gemmGflops(Kernels k, int n, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.zeros(DataType.FLOAT, n, n);
        k.gemm(c, a, false, b, false, 1f, 0f); // warm-up
        double[] g = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            k.gemm(c, a, false, b, false, 1f, 0f);
            g[i] = 2.0 * n * n * n / (System.nanoTime() - t0);
        }
        return new double[] {Arrays.stream(g).max().orElse(0), median(g)};
    }
}
