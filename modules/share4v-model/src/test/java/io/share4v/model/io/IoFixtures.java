package io.share4v.model.io;

import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.tensor.Npy;
import io.share4v.tensor.ParamLayout;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed checkpoint fixtures of src/test/resources/io (written by src/test/python/gen_io_fixtures.py). */
final class IoFixtures {
    private IoFixtures() {}

    static Path path(String name) {
        try {
            return Path.of(
                    IoFixtures.class.getClassLoader().getResource("io/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource io/" + name, e);
        }
    }

    /** The tiny LLaVA every fixture stores, with its tower dir given explicitly. */
    static LlavaConfig tinyConfig() throws IOException {
        return HfConfigReader.readLlava(path("llava-st-f32"), path("tower-clipvision"));
    }

    static ParamLayout tinyLayout() throws IOException {
        return LlavaLayout.of(tinyConfig());
    }

    static float[] expectedFlat() throws IOException {
        return Npy.readFloat32(path("expected_flat.npy")).data();
    }

    static float[] npy(String name) throws IOException {
        return Npy.readFloat32(path(name)).data();
    }

    /** A little-endian float64 .npy (format 1.0), for the F64 expectations Npy (float32 only) cannot read. */
    static double[] npyF64(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path(name))).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = b.getShort(8) & 0xFFFF;
        String header = new String(b.array(), 10, headerLen, java.nio.charset.StandardCharsets.US_ASCII);
        if (!header.contains("'<f8'")) {
            throw new IllegalStateException(name + " is not <f8: " + header);
        }
        b.position(10 + headerLen);
        double[] out = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(out);
        return out;
    }
}
