package io.share4v.model.io;

import java.util.Locale;

/**
 * Element types a checkpoint may declare, with the safetensors spelling and PyTorch's storage class names.
 * Declaration order is the safetensors library's (ascending alignment); its writer sorts tensors by this
 * order, descending, so {@link #ordinal()} is part of the byte layout. Only the floating-point types can be
 * loaded into parameters; the others are known so that a file using them is reported precisely.
 */
public enum DType {
    BOOL(1, "BoolStorage"),
    U8(1, "ByteStorage"),
    I8(1, "CharStorage"),
    F8_E5M2(1, null),
    F8_E4M3(1, null),
    I16(2, "ShortStorage"),
    U16(2, null),
    F16(2, "HalfStorage"),
    BF16(2, "BFloat16Storage"),
    I32(4, "IntStorage"),
    U32(4, null),
    F32(4, "FloatStorage"),
    F64(8, "DoubleStorage"),
    I64(8, "LongStorage"),
    U64(8, null);

    private final int size;
    private final String torchStorage;

    DType(int size, String torchStorage) {
        this.size = size;
        this.torchStorage = torchStorage;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloatingPoint() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /** The safetensors {@code dtype} string; unknown strings are an error listing the known ones. */
    public static DType fromSafetensors(String s) {
        for (DType d : values()) {
            if (d.name().equals(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown dtype \"" + s + "\"; safetensors dtypes are " + java.util.Arrays.toString(values()));
    }

    /** The dtype of a {@code torch.<Name>Storage} class, or null when the name is not a storage class. */
    public static DType fromTorchStorage(String className) {
        for (DType d : values()) {
            if (className.equals(d.torchStorage)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toUpperCase(Locale.ROOT);
    }
}
