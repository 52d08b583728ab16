package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.Tokens;
import io.share4v.data.record.JsonArrayStream;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact equality with the reference's preprocessing (re-stated in src/test/python/make_preprocess_fixtures.py
 * over the transformers-4.31 tokenizer re-statement): input ids, labels, the mismatch flag and reject codes,
 * for every record of every case in preprocess/cases.json.
 */
class PreprocessFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = resource("cases.json")) {
            List<JsonNode> cases = new ArrayList<>();
            JSON.readTree(in).forEach(cases::add);
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceExactly(JsonNode c) throws IOException {
        PreprocessConfig cfg = new PreprocessConfig(
                c.get("template").asText(), c.get("max_length").asInt(), MismatchPolicy.KEEP_IGNORED, 576);
        SamplePreprocessor pre = new SamplePreprocessor(TestTokenizers.released(), cfg);
        List<JsonNode> expected = readLines(c.get("name").asText() + ".expected.jsonl");
        int checked = 0;
        int samples = 0;
        int mismatches = 0;
        try (InputStream in = resource(c.get("input").asText());
                JsonArrayStream records = new JsonArrayStream(in, c.get("input").asText())) {
            JsonArrayStream.Element e;
            while ((e = records.nextOrNull()) != null) {
                JsonNode want = expected.get((int) e.index());
                String id = want.get("id").asText();
                LlavaRecord r;
                try {
                    r = LlavaRecord.fromJson(e.node());
                } catch (RecordRejectedException ex) {
                    throw new AssertionError(id + ": fixture record does not parse: " + ex.detail());
                }
                assertEquals(id, r.id());
                try {
                    TokenizedSample s = pre.process(r);
                    if (want.has("rejected")) {
                        fail(id + ": expected rejection " + want.get("rejected").asText() + ", got a sample");
                    }
                    assertArrayEquals(ints(want.get("input_ids")), s.inputIds(), id + " input_ids");
                    assertArrayEquals(ints(want.get("labels")), s.labels(), id + " labels");
                    assertEquals(want.get("mismatch").asBoolean(), s.mismatch(), id + " mismatch");
                    int images = 0;
                    for (int t : s.inputIds()) {
                        images += t == Tokens.IMAGE_TOKEN_INDEX ? 1 : 0;
                    }
                    assertEquals(images, s.images(), id + " images");
                    assertEquals(s.inputIds().length - images + 576 * images, s.expandedLength(), id);
                    samples++;
                    mismatches += s.mismatch() ? 1 : 0;
                } catch (RecordRejectedException ex) {
                    if (!want.has("rejected")) {
                        fail(id + ": expected a sample, got rejection " + ex.reason() + " (" + ex.detail() + ")");
                    }
                    assertEquals(want.get("rejected").asText(), ex.reason().name(), id + " reject reason");
                }
                checked++;
            }
        }
        assertEquals(c.get("records").asInt(), checked, "records checked");
        assertEquals(expected.size(), checked, "expected lines");
        assertEquals(c.get("samples").asInt(), samples);
        assertEquals(c.get("mismatch").asInt(), mismatches);
        assertEquals(mismatches, pre.mismatchCount(), "mismatch counter");
        assertTrue(checked > 0);
    }

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).intValue();
        }
        return out;
    }

    static List<JsonNode> readLines(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(name), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    static InputStream resource(String name) {
        InputStream in = PreprocessFixtureTest.class.getResourceAsStream("/preprocess/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource preprocess/" + name);
        }
        return in;
    }
}
