package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.Npy;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code share4v pixels} against tensors from the Python reference (see share4v-data make_image_fixtures.py). */
class PixelsCommandTest {
    @TempDir
    Path tmp;

    private Path resource(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/pixels/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pad", "square"})
    void writesTheReferenceTensor(String aspect) throws Exception {
        Path image = resource("chelsea_90x60.jpg");
        Path out = tmp.resolve("out-" + aspect + ".npy");
        CommandLine cl = Share4vCli.commandLine();
        int code = cl.execute(
                "pixels", "--image", image.toString(), "--aspect", aspect, "--size", "64", "--out", out.toString());
        assertEquals(0, code);
        Npy.FloatArray got = Npy.readFloat32(out);
        Npy.FloatArray want = Npy.readFloat32(resource("chelsea_90x60." + aspect + "64.npy"));
        assertArrayEquals(new int[] {3, 64, 64}, got.shape());
        assertArrayEquals(want.data(), got.data(), 0f, "bit-identical to Pillow + transformers 4.31");
    }

    @Test
    void badImageExitsWithTwoAndOneLineNamingFileAndReason() throws Exception {
        Path bad = tmp.resolve("broken.jpg");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F'});
        Path out = tmp.resolve("never.npy");
        StringWriter err = new StringWriter();
        CommandLine cl = Share4vCli.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("pixels", "--image", bad.toString(), "--aspect", "pad", "--out", out.toString());
        assertEquals(2, code);
        String msg = err.toString().trim();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("broken.jpg") && msg.contains("CORRUPT_IMAGE"), msg);
        assertFalse(Files.exists(out));

        StringWriter err2 = new StringWriter();
        CommandLine cl2 = Share4vCli.commandLine();
        cl2.setErr(new PrintWriter(err2));
        Files.write(tmp.resolve("empty.png"), new byte[0]);
        assertEquals(
                2,
                cl2.execute(
                        "pixels",
                        "--image",
                        tmp.resolve("empty.png").toString(),
                        "--aspect",
                        "square",
                        "--out",
                        out.toString()));
        assertTrue(
                err2.toString().contains("ZERO_BYTE_IMAGE") && err2.toString().contains("empty.png"), err2.toString());
    }
}
