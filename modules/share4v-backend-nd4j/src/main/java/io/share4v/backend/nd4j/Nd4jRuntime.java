package io.share4v.backend.nd4j;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide ND4J CPU settings, made once and on purpose: the libnd4j OpenMP pool and the OpenBLAS pool
 * both default to one thread per core, and on a small machine the two oversubscribe each other. The defaults
 * come from the measurements in docs/benchmarks.md; {@code -Dshare4v.blasThreads} and
 * {@code -Dshare4v.ompThreads} override them.
 */
public final class Nd4jRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);
    /** Property for the OpenBLAS thread count (default: all cores). */
    public static final String BLAS_THREADS = "share4v.blasThreads";
    /** Property for the libnd4j OpenMP thread count (default: 1; our kernels do not use libnd4j ops in hot paths). */
    public static final String OMP_THREADS = "share4v.ompThreads";

    private static Nd4jRuntime instance;

    private final int blasThreads;
    private final int ompThreads;
    private final String blasVersion;

    private Nd4jRuntime(int blasThreads, int ompThreads) {
        this.blasThreads = blasThreads;
        this.ompThreads = ompThreads;
        this.blasVersion = blasVersion();
    }

    /** The runtime, configured from the system properties (or the defaults) on first use. */
    public static synchronized Nd4jRuntime get() {
        if (instance == null) {
            int cores = Runtime.getRuntime().availableProcessors();
            configure(intProperty(BLAS_THREADS, cores), intProperty(OMP_THREADS, 1));
        }
        return instance;
    }

    /** Sets both thread pools now (ND4J applies them to later calls) and logs the backend. */
    public static synchronized Nd4jRuntime configure(int blasThreads, int ompThreads) {
        if (blasThreads < 1 || ompThreads < 1) {
            throw new IllegalArgumentException("thread counts must be >= 1: " + BLAS_THREADS + "=" + blasThreads + ", "
                    + OMP_THREADS + "=" + ompThreads);
        }
        Nd4j.getEnvironment().setMaxThreads(ompThreads);
        Nd4j.getEnvironment().setMaxMasterThreads(ompThreads);
        Nd4j.factory().blas().setMaxThreads(blasThreads);
        instance = new Nd4jRuntime(blasThreads, ompThreads);
        LOG.info("ND4J CPU runtime: {}", instance.describe());
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        if (coreType != null && !coreType.isBlank()) {
            // measured here: OPENBLAS_CORETYPE=Haswell on an AVX-512 CPU halves FP32 GEMM (125 vs 240 GFLOP/s per core)
            LOG.warn(
                    "OPENBLAS_CORETYPE={} overrides OpenBLAS's CPU detection; unset it unless the detection is wrong",
                    coreType);
        }
        return instance;
    }

    /** Sets the OpenBLAS thread count for the following calls only (kernels that run their own threads). */
    static void setBlasThreads(int n) {
        Nd4j.factory().blas().setMaxThreads(n);
    }

    public int blasThreads() {
        return blasThreads;
    }

    public int ompThreads() {
        return ompThreads;
    }

    /** e.g. {@code "openblas 0.3.28-1.5.11, blas threads 2, omp threads 1"}. */
    public String describe() {
        return "openblas " + blasVersion + ", blas threads " + blasThreads + ", omp threads " + ompThreads;
    }

    /** The JavaCPP OpenBLAS artifact version on the class path (the library ND4J and {@link Blas} call). */
    private static String blasVersion() {
        String v = openblas_nolapack.class.getPackage().getImplementationVersion();
        return v != null ? v : Nd4j.factory().blas().getBlasVendor() + " (version unknown)";
    }

    private static int intProperty(String key, int fallback) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + "=" + v + " is not an integer thread count >= 1", e);
        }
    }
}
