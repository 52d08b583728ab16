package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing, corrupt or unsupported tokenizer files fail loudly, naming the file and the reason. */
class TokenizerLoadErrorsTest {
    @TempDir
    Path dir;

    private static byte[] realModel() throws IOException {
        return Files.readAllBytes(TokenizerFixtures.LLAMA2_DIR.resolve("tokenizer.model"));
    }

    private Path folder(byte[] model, String config) throws IOException {
        if (model != null) Files.write(dir.resolve("tokenizer.model"), model);
        if (config != null) Files.writeString(dir.resolve("tokenizer_config.json"), config);
        return dir;
    }

    private static void assertMessage(TokenizerLoadException e, String... parts) {
        for (String p : parts)
            assertTrue(e.getMessage().contains(p), "message <" + e.getMessage() + "> lacks <" + p + ">");
    }

    @Test
    void missingModelFile() throws IOException {
        Path d = folder(null, "{}");
        TokenizerLoadException e = assertThrows(TokenizerLoadException.class, () -> LlamaTokenizer.load(d));
        assertMessage(e, "tokenizer.model", "not found");
    }

    @Test
    void withoutConfigFileTheConstructorDefaultsApply() throws IOException {
        // from_pretrained on a folder with only tokenizer.model: LlamaTokenizer's 4.31 constructor defaults.
        Path d = folder(realModel(), null);
        assertEquals(LlamaTokenizerConfig.defaults(), LlamaTokenizerConfig.read(d));
        LlamaTokenizer bare = LlamaTokenizer.load(d);
        assertEquals(1, bare.bosId());
        assertEquals(2, bare.eosId());
        Path withEmptyConfig = Files.createDirectory(dir.resolve("empty-config"));
        Files.write(withEmptyConfig.resolve("tokenizer.model"), realModel());
        Files.writeString(withEmptyConfig.resolve("tokenizer_config.json"), "{}");
        String text = "Hello world</s>  <s>x";
        assertEquals(
                Arrays.toString(LlamaTokenizer.load(withEmptyConfig).encode(text)), Arrays.toString(bare.encode(text)));
    }

    @Test
    void withoutConfigFileTheSpecialTokensMapStillApplies() throws IOException {
        Path d = folder(realModel(), null);
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"<unk>\"}");
        LlamaTokenizerConfig config = LlamaTokenizerConfig.read(d);
        assertEquals("<unk>", config.pad().content());
        assertTrue(config.legacy(), "legacy stays the constructor default");
    }

    @Test
    void aConfigPathThatIsADirectoryIsNamed() throws IOException {
        Path d = folder(realModel(), null);
        Files.createDirectory(dir.resolve("tokenizer_config.json"));
        TokenizerLoadException e = assertThrows(TokenizerLoadException.class, () -> LlamaTokenizer.load(d));
        assertMessage(e, "tokenizer_config.json", "not a regular file");
    }

    @Test
    void emptyTruncatedAndGarbageModels() throws IOException {
        byte[] real = realModel();
        for (byte[] bad : new byte[][] {
            new byte[0],
            Arrays.copyOf(real, real.length / 2),
            "this is not a protobuf".getBytes(StandardCharsets.UTF_8),
            {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}
        }) {
            Path d = folder(bad, "{}");
            TokenizerLoadException e = assertThrows(TokenizerLoadException.class, () -> LlamaTokenizer.load(d));
            assertMessage(e, d.resolve("tokenizer.model").toString());
        }
    }

    @Test
    void unsupportedModelSettingsAreNamed() throws IOException {
        byte[] real = realModel();
        // model_type UNIGRAM (field 3 of trainer_spec), appended as a second trainer_spec that merges.
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> SentencePieceModel.parse(append(real, 0x12, 0x18, 1), "m.model")),
                "m.model",
                "UNIGRAM");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> SentencePieceModel.parse(append(real, 0x12, 0x98, 0x02, 0), "m.model")),
                "byte_fallback=false");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> SentencePieceModel.parse(append(real, 0x12, 0xC0, 0x01, 1), "m.model")),
                "treat_whitespace_as_suffix");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> SentencePieceModel.parse(append(real, 0x1A, 0x12, 1, 'x'), "m.model")),
                "precompiled_charsmap");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> SentencePieceModel.parse(append(real, 0x1A, 0x28, 0), "m.model")),
                "escape_whitespaces=false");
    }

    @Test
    void brokenVocabularyIsNamed() throws IOException {
        byte[] real = realModel();
        // Make <0x41> (id 68) NORMAL: the byte table has a hole.
        byte[] hole = TokenizerFixtureTest.ModelProtoEdits.edit(real, Map.of(68, 1), null);
        assertMessage(
                assertThrows(TokenizerLoadException.class, () -> SentencePieceModel.parse(hole, "m.model")), "<0x41>");
        byte[] twoUnk = TokenizerFixtureTest.ModelProtoEdits.edit(real, Map.of(5000, 2), null);
        assertMessage(
                assertThrows(TokenizerLoadException.class, () -> SentencePieceModel.parse(twoUnk, "m.model")),
                "UNKNOWN");
        byte[] badType = TokenizerFixtureTest.ModelProtoEdits.edit(real, Map.of(5000, 9), null);
        assertMessage(
                assertThrows(TokenizerLoadException.class, () -> SentencePieceModel.parse(badType, "m.model")),
                "type 9");
    }

    @Test
    void badConfigValues() throws IOException {
        byte[] real = realModel();
        assertMessage(
                assertThrows(TokenizerLoadException.class, () -> LlamaTokenizer.load(folder(real, "[1,2]"))),
                "tokenizer_config.json",
                "JSON object");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class, () -> LlamaTokenizer.load(folder(real, "{\"legacy\": \"no\"}"))),
                "legacy");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> LlamaTokenizer.load(folder(real, "{\"tokenizer_class\": \"T5Tokenizer\"}"))),
                "T5Tokenizer");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> LlamaTokenizer.load(folder(real, "{\"pad_token\": \"<pad>\"}"))),
                "<pad>",
                "not in the vocabulary");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class,
                        () -> LlamaTokenizer.load(folder(real, "{\"clean_up_tokenization_spaces\": true}"))),
                "clean_up_tokenization_spaces");
        assertMessage(
                assertThrows(
                        TokenizerLoadException.class, () -> LlamaTokenizer.load(folder(real, "{\"bos_token\": null}"))),
                "bos_token");
    }

    @Test
    void absentLegacyKeyMeansLegacyAs431() throws IOException {
        LlamaTokenizer t = LlamaTokenizer.load(folder(realModel(), "{\"add_bos_token\": true}"));
        assertTrue(t.legacy());
        assertArrayEqualsInts(new int[] {1, 4367, 29889, 2, 3148}, t.encode("Red.</s>US"));
        LlamaTokenizer n = LlamaTokenizer.load(folder(realModel(), "{\"legacy\": null}"));
        assertFalse(n.legacy());
        assertEquals(3308, n.encode("Red.</s>US")[4]);
        LlamaTokenizer eos = LlamaTokenizer.load(
                folder(realModel(), "{\"legacy\": false, \"add_eos_token\": true, \"add_bos_token\": false}"));
        assertArrayEqualsInts(new int[] {15043, 2}, eos.encode("Hello"));
    }

    @Test
    void unpairedSurrogateAndBadIdsAreRejected() {
        LlamaTokenizer t = LlamaTokenizer.load(TokenizerFixtures.LLAMA2_DIR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("ok \uD800 bad"));
        assertTrue(e.getMessage().contains("U+D800"));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {1, 32000}, false));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {-200}, false));
    }

    private static void assertArrayEqualsInts(int[] expected, int[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }

    private static byte[] append(byte[] model, int... extra) {
        // extra = tag, then the sub-message bytes; its length is inserted here.
        byte[] out = Arrays.copyOf(model, model.length + extra.length + 1);
        out[model.length] = (byte) extra[0];
        out[model.length + 1] = (byte) (extra.length - 1);
        for (int i = 1; i < extra.length; i++) out[model.length + 1 + i] = (byte) extra[i];
        return out;
    }
}
