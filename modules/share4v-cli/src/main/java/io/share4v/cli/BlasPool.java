package io.share4v.cli;

/**
 * The OpenBLAS thread pool of the {@code nd4j} backend as configured for a run: its size and a description of
 * the BLAS build, for the benchmark lines. Backends without one (java) have no pool.
 */
record BlasPool(int threads, String description) {}
