package io.share4v.model.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lives on disk: its elements start at {@code byteOffset} of {@code file}, little-endian,
 * of type {@code dtype}. {@code strides} are element strides as PyTorch records them (row-major contiguous
 * for safetensors); {@code storageElements} bounds every element index (the whole storage a .bin view may
 * reach). Nothing is read until {@link TensorCopier} copies it.
 */
public record StoredTensor(
        String name, DType dtype, long[] shape, long[] strides, Path file, long byteOffset, long storageElements) {
    public StoredTensor {
        shape = shape.clone();
        strides = strides.clone();
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("tensor " + name + " in " + file + ": shape " + Arrays.toString(shape)
                    + " and strides " + Arrays.toString(strides) + " differ in rank");
        }
    }

    /** A row-major contiguous tensor (every safetensors tensor). */
    public static StoredTensor contiguous(String name, DType dtype, long[] shape, Path file, long byteOffset) {
        return new StoredTensor(name, dtype, shape, contiguousStrides(shape), file, byteOffset, numel(shape));
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] strides() {
        return strides.clone();
    }

    public long numel() {
        return numel(shape);
    }

    public boolean isContiguous() {
        return Arrays.equals(strides, contiguousStrides(shape));
    }

    /** Same tensor under another name (checkpoint name -> layout name). */
    public StoredTensor renamed(String newName) {
        return new StoredTensor(newName, dtype, shape, strides, file, byteOffset, storageElements);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " in " + file;
    }
}
