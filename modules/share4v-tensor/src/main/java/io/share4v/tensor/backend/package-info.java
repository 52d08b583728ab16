/**
 * Compute backends behind the tensor seam: a {@link io.share4v.tensor.backend.Backend} is an allocator of
 * {@link io.share4v.tensor.Tensor}s plus the transfers between the JVM and its memory; one name selects it
 * everywhere ({@link io.share4v.tensor.backend.Backends}: {@code java} built in, {@code nd4j} and {@code cuda}
 * from their own modules). Nothing here depends on ND4J, so a device backend can own its memory.
 */
package io.share4v.tensor.backend;
