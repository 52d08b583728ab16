package io.share4v.tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0 written; 1.0-3.0 read), C order, little endian, for
 * float32 {@code '<f4'}, float64 {@code '<f8'}, int64 {@code '<i8'} and int32 {@code '<i4'}.
 * Hand-written because the format is a 10-line header plus raw data and no maintained Java library
 * reads it without pulling in a framework; ND4J's own reader needs a native backend to be loaded.
 * Shapes of 0-d arrays are {@code []} (one element).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

    /** The element types this class reads and writes, with their numpy {@code descr}. */
    public enum Dtype {
        FLOAT32("<f4", 4),
        FLOAT64("<f8", 8),
        INT64("<i8", 8),
        INT32("<i4", 4);

        private final String descr;
        private final int bytes;

        Dtype(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        public String descr() {
            return descr;
        }

        public int bytes() {
            return bytes;
        }

        static Dtype ofDescr(Path file, String descr) throws IOException {
            for (Dtype d : values()) {
                if (d.descr.equals(descr)) {
                    return d;
                }
            }
            throw new IOException(file + ": dtype " + descr + " is not supported, expected one of "
                    + Arrays.toString(Arrays.stream(values()).map(Dtype::descr).toArray()));
        }
    }

    /** What an {@code .npy} header declares. */
    public record Header(Dtype dtype, int[] shape) {
        public long size() {
            return elements(shape);
        }
    }

    /** A float32 array in C order with its shape. */
    public record FloatArray(int[] shape, float[] data) {
        public FloatArray {
            checkSize(shape, data.length);
        }
    }

    /** A float64 array in C order with its shape. */
    public record DoubleArray(int[] shape, double[] data) {
        public DoubleArray {
            checkSize(shape, data.length);
        }
    }

    /** An int64 array in C order with its shape. */
    public record LongArray(int[] shape, long[] data) {
        public LongArray {
            checkSize(shape, data.length);
        }
    }

    /** An int32 array in C order with its shape. */
    public record IntArray(int[] shape, int[] data) {
        public IntArray {
            checkSize(shape, data.length);
        }
    }

    private Npy() {}

    // ------------------------------------------------------------------------------------------ writing

    public static void writeFloat32(Path file, int[] shape, float[] data) throws IOException {
        new FloatArray(shape, data); // validates before the file is created
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            writeFloat32(out, shape, data);
        }
    }

    public static void writeFloat32(OutputStream out, int[] shape, float[] data) throws IOException {
        checkSize(shape, data.length);
        writeHeader(out, Dtype.FLOAT32, shape);
        ByteBuffer buf = chunk(data.length, 4);
        for (int i = 0; i < data.length; ) {
            buf.clear();
            int n = Math.min(data.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    public static void writeFloat64(Path file, int[] shape, double[] data) throws IOException {
        checkSize(shape, data.length);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            writeHeader(out, Dtype.FLOAT64, shape);
            ByteBuffer buf = chunk(data.length, 8);
            for (int i = 0; i < data.length; ) {
                buf.clear();
                int n = Math.min(data.length - i, buf.capacity() / 8);
                buf.asDoubleBuffer().put(data, i, n);
                out.write(buf.array(), 0, n * 8);
                i += n;
            }
        }
    }

    public static void writeInt64(Path file, int[] shape, long[] data) throws IOException {
        checkSize(shape, data.length);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            writeHeader(out, Dtype.INT64, shape);
            ByteBuffer buf = chunk(data.length, 8);
            for (int i = 0; i < data.length; ) {
                buf.clear();
                int n = Math.min(data.length - i, buf.capacity() / 8);
                buf.asLongBuffer().put(data, i, n);
                out.write(buf.array(), 0, n * 8);
                i += n;
            }
        }
    }

    public static void writeInt32(Path file, int[] shape, int[] data) throws IOException {
        checkSize(shape, data.length);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            writeHeader(out, Dtype.INT32, shape);
            ByteBuffer buf = chunk(data.length, 4);
            for (int i = 0; i < data.length; ) {
                buf.clear();
                int n = Math.min(data.length - i, buf.capacity() / 4);
                buf.asIntBuffer().put(data, i, n);
                out.write(buf.array(), 0, n * 4);
                i += n;
            }
        }
    }

    private static ByteBuffer chunk(int elements, int width) {
        return ByteBuffer.allocate(Math.max(1, Math.min(elements, 1 << 16)) * width)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeHeader(OutputStream out, Dtype dtype, int[] shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
            if (i < shape.length - 1) {
                dims.append(' ');
            }
        }
        String header = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        // Total header length (magic 6 + version 2 + len 2 + dict + '\n') must be a multiple of 64.
        int unpadded = 10 + header.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (h.length & 0xff), (byte) (h.length >>> 8)});
        out.write(h);
    }

    // ------------------------------------------------------------------------------------------ reading

    /** The dtype and shape a file declares, without reading its data. */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(file, ch).header;
        }
    }

    public static FloatArray readFloat32(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parsed p = parse(file, ch, Dtype.FLOAT32);
            float[] data = new float[(int) p.header.size()];
            p.data.asFloatBuffer().get(data);
            return new FloatArray(p.header.shape, data);
        }
    }

    public static DoubleArray readFloat64(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parsed p = parse(file, ch, Dtype.FLOAT64);
            double[] data = new double[(int) p.header.size()];
            p.data.asDoubleBuffer().get(data);
            return new DoubleArray(p.header.shape, data);
        }
    }

    public static LongArray readInt64(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parsed p = parse(file, ch, Dtype.INT64);
            long[] data = new long[(int) p.header.size()];
            p.data.asLongBuffer().get(data);
            return new LongArray(p.header.shape, data);
        }
    }

    public static IntArray readInt32(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parsed p = parse(file, ch, Dtype.INT32);
            int[] data = new int[(int) p.header.size()];
            p.data.asIntBuffer().get(data);
            return new IntArray(p.header.shape, data);
        }
    }

    /**
     * Any of the supported dtypes widened to double (exact for float32, int32 and float64; int64 values beyond
     * 2^53 would round, so integer files are better read with {@link #readInt64}).
     */
    public static DoubleArray readAsDouble(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parsed p = parse(file, ch);
            int n = (int) p.header.size();
            double[] data = new double[n];
            ByteBuffer b = p.data;
            switch (p.header.dtype) {
                case FLOAT32 -> {
                    for (int i = 0; i < n; i++) data[i] = b.getFloat();
                }
                case FLOAT64 -> b.asDoubleBuffer().get(data);
                case INT64 -> {
                    for (int i = 0; i < n; i++) data[i] = b.getLong();
                }
                case INT32 -> {
                    for (int i = 0; i < n; i++) data[i] = b.getInt();
                }
                default -> throw new IllegalStateException("unhandled dtype " + p.header.dtype);
            }
            return new DoubleArray(p.header.shape, data);
        }
    }

    private record Parsed(Header header, ByteBuffer data) {}

    private static Parsed parse(Path file, FileChannel ch, Dtype expected) throws IOException {
        Parsed p = parse(file, ch);
        if (p.header.dtype != expected) {
            throw new IOException(file + ": dtype " + p.header.dtype.descr + " is stored, expected " + expected.descr
                    + " (" + expected + ")");
        }
        return p;
    }

    private static Parsed parse(Path file, FileChannel ch) throws IOException {
        ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        if (all.remaining() < 10) {
            throw new IOException(file + ": not an .npy file (too short)");
        }
        byte[] magic = new byte[6];
        all.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + ": not an .npy file (bad magic)");
        }
        int major = all.get() & 0xff;
        all.get();
        if (major < 1 || major > 3) {
            throw new IOException(file + ": .npy format version " + major + " is not supported (1-3)");
        }
        int headerLen = major == 1 ? (all.getShort() & 0xffff) : all.getInt();
        if (headerLen > all.remaining()) {
            throw new IOException(file + ": truncated header");
        }
        byte[] h = new byte[headerLen];
        all.get(h);
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        if (!d.find() || !s.find() || !f.find()) {
            throw new IOException(file + ": unreadable .npy header: " + header.trim());
        }
        Dtype dtype = Dtype.ofDescr(file, d.group(1));
        if (f.group(1).equals("True")) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported");
        }
        int[] shape = Arrays.stream(s.group(1).split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt)
                .toArray();
        long n = elements(shape);
        if (n > Integer.MAX_VALUE) {
            throw new IOException(file + ": " + n + " elements do not fit one Java array");
        }
        if (all.remaining() < n * dtype.bytes) {
            throw new IOException(file + ": truncated: header says " + n + " elements of " + dtype.descr
                    + ", file holds " + all.remaining() / dtype.bytes);
        }
        return new Parsed(new Header(dtype, shape), all.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    private static long elements(int[] shape) {
        long n = 1;
        for (int x : shape) {
            n *= x;
        }
        return n;
    }

    private static void checkSize(int[] shape, int length) {
        for (int x : shape) {
            if (x < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
        }
        long n = elements(shape);
        if (n != length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " elements but data has " + length);
        }
    }
}
