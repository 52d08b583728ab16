package io.share4v.cli;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

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

    /** FP32 GEMM {@code n x n x n} through the backend's kernels: best and median GFLOP/s of {@code reps} runs. */
    static double[] gemmGflops(Backend backend, int n, int reps) {
        Tensor a = uniform(backend, n, 1);
        Tensor b = uniform(backend, n, 2);
        Tensor c = backend.allocate(DType.FLOAT, n, n);
        Kernels k = backend.kernels();
        k.gemm(c, a, false, b, false, 1f, 0f); // warm-up
        double[] g = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            k.gemm(c, a, false, b, false, 1f, 0f);
            g[i] = 2.0 * n * n * n / (System.nanoTime() - t0);
        }
        return new double[] {Arrays.stream(g).max().orElse(0), median(g)};
    }

    /** An {@code n x n} FLOAT tensor of uniform [0, 1) values. */
    private static Tensor uniform(Backend backend, int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        Tensor t = backend.allocate(DType.FLOAT, n, n);
        backend.upload(t, v);
        return t;
    }
}
