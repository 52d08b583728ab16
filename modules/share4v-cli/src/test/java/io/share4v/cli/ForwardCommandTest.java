package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Npy;
import io.share4v.tensor.Npz;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.Tensors;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v forward} on the golden tiny checkpoint (share4v-model's make_llava_golden.py): the .npz it writes
 * holds the PyTorch fp32 logits and loss of the golden batch, given as ragged rows (the command pads them as the
 * reference collator did) with one image file per image token.
 */
class ForwardCommandTest {
    static final Path MODEL = GoldenModel.CHECKPOINT;
    /** The golden batch without its right padding (rows 1 and 2 end at their EOS). */
    static final String IDS = "[[1, 23, 87, 301, 45, -200, 13, 99, 256, 7, 410, 33, 128, 2],"
            + " [1, 64, 17, 333, 290, 5, 71, 2], [1, -200, 13, 150, 77, 480, 2]]";

    static final String LABELS = "[[-100, -100, -100, -100, -100, -100, -100, -100, -100, 7, 410, 33, 128, 2],"
            + " [-100, -100, -100, -100, 290, 5, 71, 2], [-100, -100, -100, 150, 77, 480, 2]]";

    @TempDir
    Path tmp;

    /** Writes golden image {@code index} as img/{@code name}. */
    private void image(int index, String name) throws Exception {
        GoldenModel.writeImage(index, tmp.resolve("img").resolve(name));
    }

    private Path request(String json) throws Exception {
        Path req = tmp.resolve("req.json");
        Files.writeString(req, json);
        return req;
    }

    @Test
    void writesTheGoldenLogitsAndLossAsNpz() throws Exception {
        image(0, "a.npy");
        image(2, "b.npy");
        Path req = request(
                "{\"input_ids\": " + IDS + ", \"labels\": " + LABELS + ", \"images\": [\"img/a.npy\", \"img/b.npy\"]}");
        Path out = tmp.resolve("out.npz");
        CliRun run =
                CliRun.of("forward", "--model", MODEL.toString(), "--request", req.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());

        // The archive as np.load reads it: stored entries logits.npy and loss.npy with float32 headers.
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(out.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] head = in.readNBytes(128);
                    assertEquals("NUMPY", new String(head, 1, 5, StandardCharsets.US_ASCII));
                    int len = (head[8] & 0xff) | (head[9] & 0xff) << 8;
                    String header = new String(head, 10, len, StandardCharsets.US_ASCII).trim();
                    String shape = e.getName().equals("logits.npy") ? "(3, 22, 512)" : "()";
                    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", header);
                }
            }
        }
        assertEquals(List.of("logits.npy", "loss.npy"), names);

        Map<String, Npy.FloatArray> got = Npz.readFloat32(out);
        Npy.FloatArray logits = got.get("logits");
        Tensor want = GoldenModel.FIXTURES.tensor("fp32/logits.npy", Tensors.java(), DType.FLOAT);
        assertArrayEquals(
                want.shape(), Arrays.stream(logits.shape()).asLongStream().toArray());
        Golden.Difference rel = Golden.maxRel("logits", host(logits.data()), want.flat());
        float loss = got.get("loss").data()[0];
        float goldenLoss = (float) GoldenModel.FIXTURES.scalar("fp32/loss.npy");
        System.out.printf(
                "forward vs golden fp32: logits max rel %.2e, loss %.7f vs %.7f%n", rel.error(), loss, goldenLoss);
        rel.assertAtMost(1e-5);
        assertEquals(goldenLoss, loss, 1e-5 * goldenLoss);
        assertTrue(run.out().contains("logits [3, 22, 512]"), run.out());
    }

    @Test
    void withoutLabelsWritesLogitsOnly() throws Exception {
        image(0, "a.npy");
        Path req = request("{\"input_ids\": [[1, 23, 87, 301, 45, -200, 13, 99, 256, 7, 410, 33, 128, 2]],"
                + " \"images\": [\"img/a.npy\"]}");
        Path out = tmp.resolve("out.npz");
        CliRun run =
                CliRun.of("forward", "--model", MODEL.toString(), "--request", req.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        Map<String, Npy.FloatArray> got = Npz.readFloat32(out);
        assertEquals(List.of("logits"), List.copyOf(got.keySet()));
        assertArrayEquals(new int[] {1, 22, 512}, got.get("logits").shape());
        // sample 0 is the longest of the golden batch: its rows equal the golden's first sample exactly
        Tensor first = GoldenModel.FIXTURES
                .tensor("fp32/logits.npy", Tensors.java(), DType.FLOAT)
                .row(0);
        Golden.maxRel("sample 0 logits", host(got.get("logits").data()), first.flat())
                .assertAtMost(1e-5);
    }

    private static Tensor host(float[] values) {
        return Tensors.of(Tensors.java(), values, values.length);
    }

    private void assertOneLineError(String json, String... expected) throws Exception {
        Path req = request(json);
        Path out = tmp.resolve("never.npz");
        CliRun run =
                CliRun.of("forward", "--model", MODEL.toString(), "--request", req.toString(), "--out", out.toString());
        assertEquals(2, run.exit(), run.out() + run.err());
        String msg = run.err().trim();
        assertEquals(1, msg.lines().count(), msg);
        for (String e : expected) {
            assertTrue(msg.contains(e), "'" + e + "' missing from: " + msg);
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void badRequestsAreOneClearLineAndExitTwo() throws Exception {
        image(0, "a.npy");
        assertOneLineError(
                "{\"input_ids\": [[1, -200, 5]], \"images\": []}", "req.json", "1 image tokens", "images lists 0");
        assertOneLineError("{\"input_ids\": [[1, 5, 6]], \"images\": [\"img/a.npy\"]}", "0 image tokens");
        assertOneLineError("{\"input_ids\": [[1, 512, 6]]}", "req.json", "512", "[0, 512)");
        assertOneLineError("{\"input_ids\": [[1, 5, 6]], \"labels\": [[1, 5]]}", "labels row 0");
        Npy.writeFloat32(tmp.resolve("img/small.npy"), new int[] {3, 14, 14}, new float[3 * 14 * 14]);
        assertOneLineError(
                "{\"input_ids\": [[1, -200, 5]], \"images\": [\"img/small.npy\"]}",
                "small.npy",
                "[3, 14, 14]",
                "[3, 42, 42]");
        assertOneLineError(
                "{\"input_ids\": [[1, -200, 5]], \"images\": [\"img/missing.npy\"]}", "missing.npy", "does not exist");
        assertOneLineError("{\"input_ids\": [[1, 2.5]]}", "input_ids[0][1]");
        assertOneLineError("{\"input_ids\": [[1, 2]], \"pixels\": 1}", "unknown key 'pixels'");
    }
}
