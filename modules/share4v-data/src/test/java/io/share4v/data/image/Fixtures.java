package io.share4v.data.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Loads the fixtures written by src/test/python/make_image_fixtures.py (classpath: /images/). */
final class Fixtures {
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");

    /** A C-order .npy array of dtype uint8 ('|u1') or float32 ('<f4'). */
    record Array(int[] shape, byte[] u8, float[] f32) {}

    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /images/" + name);
            }
            byte[] b = in.readAllBytes();
            return name.endsWith(".gz") ? gunzip(b) : b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(bytes("manifest.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Array npy(String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        int headerLen = b.getShort() & 0xffff;
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.US_ASCII);
        Matcher s = SHAPE.matcher(header);
        Matcher d = DESCR.matcher(header);
        if (!s.find() || !d.find() || header.contains("'fortran_order': True")) {
            throw new IllegalStateException(name + ": unexpected .npy header " + header);
        }
        int[] shape = Arrays.stream(s.group(1).split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt)
                .toArray();
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        switch (d.group(1)) {
            case "|u1" -> {
                byte[] u8 = new byte[n];
                b.get(u8);
                return new Array(shape, u8, null);
            }
            case "<f4" -> {
                float[] f = new float[n];
                b.asFloatBuffer().get(f);
                return new Array(shape, null, f);
            }
            default -> throw new IllegalStateException(name + ": dtype " + d.group(1));
        }
    }

    private static byte[] gunzip(byte[] b) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Max and mean absolute difference in uint8 steps. */
    static double[] diff(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            max = Math.max(max, d);
            sum += d;
        }
        return new double[] {max, (double) sum / a.length};
    }
}
