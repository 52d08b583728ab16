package io.share4v.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.tensor.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch golden fixtures (golden/tiny, written by src/test/python/make_llava_golden.py) are complete and
 * readable from Java with the shapes and dtypes the manifest declares, and internally consistent: the stored
 * loss is the shifted, ignore-aware cross-entropy of the stored logits. Numeric parity of the Java model
 * against these files is tested by the model's own component tests.
 */
class GoldenFixturesTest {
    private static final String VT = "model.vision_tower.vision_tower.vision_model.";
    private static Path root;
    private static JsonNode manifest;

    @BeforeAll
    static void load() throws IOException {
        root = GoldenTiny.FIXTURES.dir();
        manifest = new ObjectMapper().readTree(root.resolve("manifest.json").toFile());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void everyListedArrayHasTheDeclaredDtypeAndShapeAndIsFinite() throws IOException {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("files").fields(); it.hasNext(); count++) {
            Map.Entry<String, JsonNode> e = it.next();
            Path file = root.resolve(e.getKey());
            Npy.Header h = Npy.readHeader(file);
            assertEquals(e.getValue().get("dtype").asText(), h.dtype().descr(), e.getKey());
            assertArrayEquals(ints(e.getValue().get("shape")), h.shape(), e.getKey());
            double[] data = Npy.readAsDouble(file).data();
            for (double x : data) {
                assertTrue(Double.isFinite(x), e.getKey() + " holds a non-finite value");
            }
        }
        assertTrue(count > 250, "only " + count + " arrays listed");
    }

    @Test
    void everyParameterHasWeightsAndBothGradients() throws IOException {
        JsonNode params = manifest.get("parameters");
        long total = 0;
        List<String> names = new ArrayList<>();
        for (JsonNode p : params) {
            String name = p.get("name").asText();
            names.add(name);
            int[] shape = ints(p.get("shape"));
            Npy.FloatArray w = Npy.readFloat32(root.resolve("weights/" + name + ".npy"));
            Npy.FloatArray g32 = Npy.readFloat32(root.resolve("fp32/grads/" + name + ".npy"));
            Npy.DoubleArray g64 = Npy.readFloat64(root.resolve("fp64/grads/" + name + ".npy"));
            assertArrayEquals(shape, w.shape(), name);
            assertArrayEquals(shape, g32.shape(), name);
            assertArrayEquals(shape, g64.shape(), name);
            total += w.data().length;
            boolean unused = name.startsWith(VT + "encoder.layers.2.") || name.startsWith(VT + "post_layernorm.");
            double norm = 0;
            double diff = 0;
            for (int i = 0; i < g64.data().length; i++) {
                norm += g64.data()[i] * g64.data()[i];
                diff = Math.max(diff, Math.abs(g64.data()[i] - g32.data()[i]));
            }
            if (unused) {
                assertEquals(0.0, norm, name + " is past the selected vision layer and must get no gradient");
            } else {
                assertTrue(norm > 0, name + " has an all-zero gradient");
                assertTrue(
                        diff <= 1e-4 * Math.max(1.0, Math.sqrt(norm)),
                        name + ": fp32 and fp64 gradients differ by " + diff);
            }
        }
        assertEquals(manifest.get("parameter_count").asLong(), total);
        // the flat buffer's order: vision tower, projector, LLM
        int firstProjector = names.indexOf("model.mm_projector.0.weight");
        int firstLlm = names.indexOf("model.embed_tokens.weight");
        assertTrue(names.subList(0, firstProjector).stream().allMatch(n -> n.startsWith(VT)));
        assertTrue(firstProjector < firstLlm);
        assertEquals("lm_head.weight", names.get(names.size() - 1));
    }

    @Test
    void logitsShapeAndLossAreConsistentWithTheSplicedLabels() throws IOException {
        JsonNode cfg = manifest.get("config");
        int vocab = cfg.get("llm").get("vocab_size").asInt();
        long[] labels = Npy.readInt64(root.resolve("spliced/labels.npy")).data();
        Npy.IntArray mask = Npy.readInt32(root.resolve("spliced/attention_mask.npy"));
        int batch = mask.shape()[0];
        int seq = mask.shape()[1];
        int textLen = Npy.readInt64(root.resolve("inputs/input_ids.npy")).shape()[1];
        assertEquals(textLen - 1 + cfg.get("image_tokens").asInt(), seq, "T' = L - 1 + image tokens");

        JsonNode valid = manifest.get("batch").get("spliced_valid_length");
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                assertEquals(t < valid.get(b).asInt() ? 1 : 0, mask.data()[b * seq + t], "mask is a prefix of ones");
            }
        }
        for (String tag : List.of("fp32", "fp64")) {
            Npy.DoubleArray logits = Npy.readAsDouble(root.resolve(tag + "/logits.npy"));
            assertArrayEquals(new int[] {batch, seq, vocab}, logits.shape());
            double sum = 0;
            int n = 0;
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t + 1 < seq; t++) {
                    long target = labels[b * seq + t + 1];
                    if (target == -100) {
                        continue;
                    }
                    int row = (b * seq + t) * vocab;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < vocab; v++) {
                        max = Math.max(max, logits.data()[row + v]);
                    }
                    double z = 0;
                    for (int v = 0; v < vocab; v++) {
                        z += Math.exp(logits.data()[row + v] - max);
                    }
                    sum += max + Math.log(z) - logits.data()[row + (int) target];
                    n++;
                }
            }
            double loss = Npy.readAsDouble(root.resolve(tag + "/loss.npy")).data()[0];
            assertEquals(manifest.get("results").get(tag).get("n_supervised").asInt(), n);
            assertEquals(Npy.readInt64(root.resolve("spliced/n_supervised.npy")).data()[0], n);
            assertEquals(sum / n, loss, tag.equals("fp64") ? 1e-12 : 1e-5 * loss, tag + " loss");
            assertTrue(loss > 1 && loss < 20, "loss " + loss + " is not a plausible cross-entropy over 512 ids");
        }
    }

    @Test
    void greedyIdsAreTheArgmaxOfTheStoredStepLogits() throws IOException {
        for (String kind : List.of("image", "text")) {
            long[] ids32 = Npy.readInt64(root.resolve("generate/" + kind + "_fp32_ids.npy"))
                    .data();
            long[] ids64 = Npy.readInt64(root.resolve("generate/" + kind + "_fp64_ids.npy"))
                    .data();
            assertArrayEquals(ids64, ids32, kind + ": fp32 and fp64 greedy decoding diverge");
            Npy.DoubleArray steps = Npy.readAsDouble(root.resolve("generate/" + kind + "_fp32_step_logits.npy"));
            int vocab = steps.shape()[1];
            assertEquals(ids32.length, steps.shape()[0]);
            for (int s = 0; s < ids32.length; s++) {
                int best = 0;
                for (int v = 1; v < vocab; v++) {
                    if (steps.data()[s * vocab + v] > steps.data()[s * vocab + best]) {
                        best = v;
                    }
                }
                assertEquals(best, ids32[s], kind + " step " + s);
            }
        }
    }

    @Test
    void checkpointFilesArePresentWithTheRecordedSizes() throws IOException {
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        manifest.get("checkpoint_files").fields();
                it.hasNext();
                n++) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().asLong(), Files.size(root.resolve(e.getKey())), e.getKey());
        }
        assertEquals(18, n);
        JsonNode config = new ObjectMapper()
                .readTree(root.resolve(GoldenTiny.CHECKPOINT + "/config.json").toFile());
        assertEquals("share4v", config.get("model_type").asText());
        assertEquals("../clip-vision-model", config.get("mm_vision_tower").asText());
        assertTrue(Files.isDirectory(root.resolve(GoldenTiny.CHECKPOINT)
                .resolve(config.get("mm_vision_tower").asText())
                .normalize()));
        assertTrue(!config.has("rope_theta"), "4.31 configs have no rope_theta key");
    }
}
