package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every fixture written by src/test/python/gen_tokenizer_fixtures.py (Debian sentencepiece + the 4.31 rules of
 * llama_tokenizer_431.py) must be reproduced exactly. Each test reports its mismatch count and the first few.
 */
class TokenizerFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LlamaTokenizer nonLegacy;
    private static LlamaTokenizer legacy;

    @BeforeAll
    static void load() {
        nonLegacy = LlamaTokenizer.load(TokenizerFixtures.LLAMA2_DIR);
        legacy = LlamaTokenizer.load(TokenizerFixtures.LLAMA2_DIR, true);
    }

    @Test
    void encodeAndDecodeOfEveryFixtureText() throws IOException {
        List<JsonNode> rows = readJsonl("llama2_encode.jsonl");
        assertTrue(rows.size() >= 1000, "expected at least 1000 fixture texts, got " + rows.size());
        Mismatches m = new Mismatches("llama2_encode.jsonl");
        for (JsonNode row : rows) {
            String text = row.get("text").textValue();
            m.check(text, "sp", ids(row.get("sp")), nonLegacy.model().encode(text));
            int[] n = nonLegacy.encode(text);
            m.check(text, "nonlegacy", ids(row.get("nonlegacy")), n);
            m.check(
                    text,
                    "nonlegacy without specials",
                    Arrays.copyOfRange(ids(row.get("nonlegacy")), 1, n.length),
                    nonLegacy.encode(text, false));
            int[] l = legacy.encode(text);
            m.check(text, "legacy", ids(row.get("legacy")), l);
            m.check(
                    text,
                    "decode_nonlegacy",
                    row.get("decode_nonlegacy").textValue(),
                    nonLegacy.decode(ids(row.get("nonlegacy")), false));
            m.check(
                    text,
                    "decode_nonlegacy_skip",
                    row.get("decode_nonlegacy_skip").textValue(),
                    nonLegacy.decode(ids(row.get("nonlegacy")), true));
            m.check(
                    text,
                    "decode_legacy",
                    row.get("decode_legacy").textValue(),
                    legacy.decode(ids(row.get("legacy")), false));
        }
        m.assertNone(rows.size());
    }

    @Test
    void decodeOfRandomIdSequences() throws IOException {
        List<JsonNode> rows = readJsonl("llama2_decode.jsonl");
        Mismatches m = new Mismatches("llama2_decode.jsonl");
        for (JsonNode row : rows) {
            int[] ids = ids(row.get("ids"));
            String key = Arrays.toString(ids);
            m.check(key, "decode", row.get("decode").textValue(), nonLegacy.decode(ids, false));
            m.check(key, "decode_skip", row.get("decode_skip").textValue(), nonLegacy.decode(ids, true));
            m.check(
                    key,
                    "sp_decode",
                    row.get("sp_decode").textValue(),
                    nonLegacy.model().decode(ids));
        }
        m.assertNone(rows.size());
    }

    @Test
    void modelVariantsAndWhitespaceEatingSpecials() throws IOException {
        List<JsonNode> rows = readJsonl("variants.jsonl");
        byte[] base = Files.readAllBytes(TokenizerFixtures.LLAMA2_DIR.resolve("tokenizer.model"));
        Map<String, SentencePieceModel> models = new HashMap<>();
        for (JsonNode def : rows.get(0).get("definitions")) {
            Map<Integer, Integer> types = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            def.get("piece_types").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                types.put(Integer.parseInt(e.getKey()), e.getValue().intValue());
            }
            JsonNode rew = def.get("remove_extra_whitespaces");
            byte[] bytes = ModelProtoEdits.edit(base, types, rew.isNull() ? null : rew.booleanValue());
            models.put(
                    def.get("name").textValue(),
                    SentencePieceModel.parse(bytes, "variant " + def.get("name").textValue()));
        }
        LlamaTokenizerConfig strip = new LlamaTokenizerConfig(
                false,
                true,
                false,
                new SpecialToken("<s>", true, false),
                new SpecialToken("</s>", true, true),
                new SpecialToken("<unk>", false, true),
                null);
        LlamaTokenizer stripNonLegacy =
                LlamaTokenizer.loadModelFile(TokenizerFixtures.LLAMA2_DIR.resolve("tokenizer.model"), strip);
        LlamaTokenizer stripLegacy = LlamaTokenizer.loadModelFile(
                TokenizerFixtures.LLAMA2_DIR.resolve("tokenizer.model"), strip.withLegacy(true));
        Mismatches m = new Mismatches("variants.jsonl");
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode row : rows.subList(1, rows.size())) {
            String variant = row.get("variant").textValue();
            String text = row.get("text").textValue();
            counts.merge(variant, 1, Integer::sum);
            switch (variant) {
                case "strip_specials" -> m.check(text, variant, ids(row.get("ids")), stripNonLegacy.encode(text));
                case "strip_specials_legacy" -> m.check(text, variant, ids(row.get("ids")), stripLegacy.encode(text));
                default ->
                    m.check(
                            text,
                            variant,
                            ids(row.get("sp")),
                            models.get(variant).encode(text));
            }
        }
        System.out.println("variants.jsonl rows per variant: " + counts);
        assertEquals(5, counts.size());
        m.assertNone(rows.size() - 1);
    }

    static List<JsonNode> readJsonl(String name) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(TokenizerFixtures.ROOT.resolve(name), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) rows.add(JSON.readTree(line));
        }
        return rows;
    }

    static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).intValue();
        return out;
    }

    /** Counts mismatches and keeps the first ones for the failure message. */
    static final class Mismatches {
        private final String file;
        private int count;
        private final List<String> examples = new ArrayList<>();

        Mismatches(String file) {
            this.file = file;
        }

        void check(String input, String what, int[] expected, int[] actual) {
            if (!Arrays.equals(expected, actual))
                record(input, what, Arrays.toString(expected), Arrays.toString(actual));
        }

        void check(String input, String what, String expected, String actual) {
            if (!expected.equals(actual))
                record(
                        input,
                        what,
                        JSON.valueToTree(expected).toString(),
                        JSON.valueToTree(actual).toString());
        }

        private void record(String input, String what, String expected, String actual) {
            count++;
            if (examples.size() < 5) {
                examples.add(what + " of " + JSON.valueToTree(input) + "\n  expected " + expected + "\n  actual   "
                        + actual);
            }
        }

        void assertNone(int rows) {
            System.out.println(file + ": " + rows + " rows, " + count + " mismatches");
            assertEquals(0, count, file + ": " + count + " mismatches, first:\n" + String.join("\n", examples));
        }
    }

    /** The byte edits gen_tokenizer_fixtures.py makes: a later scalar field overrides, a repeated message merges. */
    static final class ModelProtoEdits {
        static byte[] edit(byte[] model, Map<Integer, Integer> pieceTypes, Boolean removeExtraWhitespaces) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 256);
            int[] pos = {0};
            int index = 0;
            while (pos[0] < model.length) {
                long tag = readVarint(model, pos);
                long len = readVarint(model, pos);
                byte[] body = Arrays.copyOfRange(model, pos[0], pos[0] + (int) len);
                pos[0] += (int) len;
                if ((tag >>> 3) == 1) {
                    Integer type = pieceTypes.get(index++);
                    if (type != null) {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        b.writeBytes(body);
                        b.write(0x18);
                        writeVarint(b, type);
                        body = b.toByteArray();
                    }
                }
                writeVarint(out, tag);
                writeVarint(out, body.length);
                out.writeBytes(body);
            }
            if (removeExtraWhitespaces != null) {
                out.write(0x1A);
                out.write(2);
                out.write(0x20);
                out.write(removeExtraWhitespaces ? 1 : 0);
            }
            return out.toByteArray();
        }

        static long readVarint(byte[] b, int[] pos) {
            long r = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b[pos[0]++];
                r |= (long) (x & 0x7F) << shift;
                if (x >= 0) return r;
            }
        }

        static void writeVarint(ByteArrayOutputStream out, long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
