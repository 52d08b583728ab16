package io.share4v.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Npz}: the zip layout np.savez writes (stored {@code name.npy} entries) and a round trip. */
class NpzTest {
    @TempDir
    Path tmp;

    @Test
    void writesStoredNpyEntriesThatReadBack() throws Exception {
        Path f = tmp.resolve("out.npz");
        float[] logits = new float[2 * 3 * 5];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = i * 0.25f - 3f;
        }
        Npz.writer()
                .addFloat32("logits", new int[] {2, 3, 5}, logits)
                .addFloat32("loss", new int[] {}, new float[] {1.5f})
                .write(f);

        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(f.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
                byte[] head = zip.getInputStream(e).readNBytes(128);
                assertEquals((byte) 0x93, head[0]);
                assertEquals("NUMPY", new String(head, 1, 5, StandardCharsets.US_ASCII));
                int headerLen = (head[8] & 0xff) | (head[9] & 0xff) << 8;
                assertEquals(0, (10 + headerLen) % 64, "header padded to 64 bytes");
                String header = new String(head, 10, headerLen, StandardCharsets.US_ASCII);
                String shape = e.getName().equals("logits.npy") ? "(2, 3, 5)" : "()";
                assertEquals(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }",
                        header.trim(),
                        e.getName());
            }
        }
        assertEquals(List.of("logits.npy", "loss.npy"), names);

        Map<String, Npy.FloatArray> back = Npz.readFloat32(f);
        assertArrayEquals(new int[] {2, 3, 5}, back.get("logits").shape());
        assertArrayEquals(logits, back.get("logits").data(), 0f);
        assertArrayEquals(new int[] {}, back.get("loss").shape());
        assertEquals(1.5f, back.get("loss").data()[0], 0f);
    }

    @Test
    void rejectsDuplicateAndBadNames() {
        Npz.Writer w = Npz.writer().addFloat32("a", new int[] {1}, new float[] {0f});
        assertThrows(IllegalArgumentException.class, () -> w.addFloat32("a", new int[] {1}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> w.addFloat32("x/y", new int[] {1}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> w.addFloat32("b", new int[] {2}, new float[] {0f}));
    }
}
