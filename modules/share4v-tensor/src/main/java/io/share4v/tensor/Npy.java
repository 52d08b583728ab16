package io.share4v.tensor;

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
 * Reads and writes NumPy {@code .npy} (format 1.0) little-endian float32 arrays.
 * Hand-written because the format is a 10-line header plus raw data and no maintained Java library
 * reads it without pulling in a framework; ND4J's own reader needs a native backend to be loaded.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

    /** A float32 array in C order with its shape. */
    public record FloatArray(int[] shape, float[] data) {
        public FloatArray {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                        + " elements but data has " + data.length);
            }
        }
    }

    private Npy() {}

    public static void writeFloat32(Path file, int[] shape, float[] data) throws IOException {
        new FloatArray(shape, data); // validates
        try (OutputStream out = Files.newOutputStream(file)) {
            writeFloat32(out, shape, data);
        }
    }

    public static void writeFloat32(OutputStream out, int[] shape, float[] data) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
            if (i < shape.length - 1) {
                dims.append(' ');
            }
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        // Total header length (magic 6 + version 2 + len 2 + dict + '\n') must be a multiple of 64.
        int unpadded = 10 + header.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (h.length & 0xff), (byte) (h.length >>> 8)});
        out.write(h);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(data.length, 1 << 16) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; ) {
            buf.clear();
            int n = Math.min(data.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    public static FloatArray readFloat32(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[6];
            if (all.remaining() < 10) {
                throw new IOException(file + ": not an .npy file (too short)");
            }
            all.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not an .npy file (bad magic)");
            }
            int major = all.get() & 0xff;
            all.get();
            int headerLen = major == 1 ? (all.getShort() & 0xffff) : all.getInt();
            byte[] h = new byte[headerLen];
            all.get(h);
            String header = new String(h, StandardCharsets.US_ASCII);
            Matcher d = DESCR.matcher(header);
            Matcher s = SHAPE.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            if (!d.find() || !s.find() || !f.find()) {
                throw new IOException(file + ": unreadable .npy header: " + header.trim());
            }
            if (!d.group(1).equals("<f4")) {
                throw new IOException(file + ": dtype " + d.group(1) + " is not supported, expected float32 ('<f4')");
            }
            if (f.group(1).equals("True")) {
                throw new IOException(file + ": Fortran-ordered arrays are not supported");
            }
            int[] shape = Arrays.stream(s.group(1).split(","))
                    .map(String::trim).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
            long n = 1;
            for (int x : shape) {
                n *= x;
            }
            if (all.remaining() < n * 4) {
                throw new IOException(file + ": truncated: header says " + n + " floats, file holds "
                        + all.remaining() / 4);
            }
            float[] data = new float[(int) n];
            all.asFloatBuffer().get(data);
            return new FloatArray(shape, data);
        }
    }
}
