package io.share4v.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * The effective settings of a transformers-4.31 slow {@code LlamaTokenizer}, as read from
 * {@code tokenizer_config.json} (and {@code special_tokens_map.json}, whose entries win, as in
 * {@code from_pretrained}). Keys this tokenizer does not interpret are ignored unless they would change the
 * ids or the decoded text, in which case loading fails with the key named.
 *
 * @param legacy      4.31's {@code legacy}. Absent means {@code true} (the 4.31 constructor default); JSON null
 *                    behaves as {@code false}, because 4.31 tests {@code not self.legacy}.
 * @param pad         null when the config has no pad token
 */
public record LlamaTokenizerConfig(boolean legacy, boolean addBosToken, boolean addEosToken,
                                   SpecialToken bos, SpecialToken eos, SpecialToken unk, SpecialToken pad) {
    public static final String FILE_NAME = "tokenizer_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SPECIAL_KEYS = Set.of("bos_token", "eos_token", "unk_token", "pad_token");

    public LlamaTokenizerConfig {
        if (bos == null || eos == null || unk == null) {
            throw new IllegalArgumentException("bos, eos and unk tokens are required, got bos=" + bos + " eos=" + eos + " unk=" + unk);
        }
    }

    /** The 4.31 constructor defaults: legacy, BOS added, no EOS, {@code <s>}, {@code </s>}, {@code <unk>}, no pad. */
    public static LlamaTokenizerConfig defaults() {
        return new LlamaTokenizerConfig(true, true, false, SpecialToken.plain("<s>"), SpecialToken.plain("</s>"),
                SpecialToken.plain("<unk>"), null);
    }

    public LlamaTokenizerConfig withLegacy(boolean newLegacy) {
        return new LlamaTokenizerConfig(newLegacy, addBosToken, addEosToken, bos, eos, unk, pad);
    }

    /** Reads {@code tokenizer_config.json} (required) and {@code special_tokens_map.json} (optional) from a model folder. */
    public static LlamaTokenizerConfig read(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) throw new TokenizerLoadException(file + ": tokenizer config file not found");
        if (Files.exists(modelDir.resolve("added_tokens.json"))) {
            throw new TokenizerLoadException(modelDir.resolve("added_tokens.json")
                    + ": added tokens beyond <s>, </s>, <unk> are not supported by this tokenizer");
        }
        JsonNode cfg = readObject(file);
        String cls = text(cfg, "tokenizer_class", file);
        if (cls != null && !cls.equals("LlamaTokenizer")) {
            throw new TokenizerLoadException(file + ": tokenizer_class is \"" + cls + "\"; only the slow LlamaTokenizer is implemented");
        }
        if (cfg.has("clean_up_tokenization_spaces") && bool(cfg, "clean_up_tokenization_spaces", false, file)) {
            throw new TokenizerLoadException(file + ": clean_up_tokenization_spaces=true is not supported (decode reproduces false)");
        }
        JsonNode kwargs = cfg.get("sp_model_kwargs");
        if (kwargs != null && !kwargs.isNull() && !(kwargs.isObject() && kwargs.isEmpty())) {
            throw new TokenizerLoadException(file + ": sp_model_kwargs " + kwargs + " is not supported (only {})");
        }
        boolean legacy;
        JsonNode legacyNode = cfg.get("legacy");
        if (legacyNode == null) legacy = true;
        else if (legacyNode.isNull()) legacy = false;
        else if (legacyNode.isBoolean()) legacy = legacyNode.booleanValue();
        else throw new TokenizerLoadException(file + ": legacy must be true, false or null, got " + legacyNode);

        JsonNode specials = cfg;
        Path mapFile = modelDir.resolve("special_tokens_map.json");
        JsonNode map = Files.isRegularFile(mapFile) ? readObject(mapFile) : null;
        SpecialToken bos = special(map, specials, "bos_token", "<s>", file, mapFile);
        SpecialToken eos = special(map, specials, "eos_token", "</s>", file, mapFile);
        SpecialToken unk = special(map, specials, "unk_token", "<unk>", file, mapFile);
        SpecialToken pad = special(map, specials, "pad_token", null, file, mapFile);
        if (map != null) {
            for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!SPECIAL_KEYS.contains(key)) {
                    throw new TokenizerLoadException(mapFile + ": special token \"" + key + "\" is not supported (only bos, eos, unk, pad)");
                }
            }
        }
        if (cfg.has("additional_special_tokens") && !cfg.get("additional_special_tokens").isEmpty()) {
            throw new TokenizerLoadException(file + ": additional_special_tokens are not supported");
        }
        try {
            return new LlamaTokenizerConfig(legacy, bool(cfg, "add_bos_token", true, file), bool(cfg, "add_eos_token", false, file),
                    bos, eos, unk, pad);
        } catch (IllegalArgumentException e) {
            throw new TokenizerLoadException(file + ": " + e.getMessage(), e);
        }
    }

    /** Stable text of every setting that changes ids or decoded text; part of the tokenizer fingerprint. */
    String canonical() {
        return "legacy=" + legacy + ";add_bos_token=" + addBosToken + ";add_eos_token=" + addEosToken
                + ";bos=" + describe(bos) + ";eos=" + describe(eos) + ";unk=" + describe(unk) + ";pad=" + describe(pad);
    }

    private static String describe(SpecialToken t) {
        return t == null ? "null" : t.content() + "|lstrip=" + t.lstrip() + "|rstrip=" + t.rstrip();
    }

    private static JsonNode readObject(Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenizerLoadException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (node == null || !node.isObject()) throw new TokenizerLoadException(file + ": expected a JSON object");
        return node;
    }

    private static SpecialToken special(JsonNode map, JsonNode cfg, String key, String dflt, Path cfgFile, Path mapFile) {
        if (map != null && map.has(key)) return parseSpecial(map.get(key), key, mapFile);
        if (cfg.has(key)) return parseSpecial(cfg.get(key), key, cfgFile);
        return dflt == null ? null : SpecialToken.plain(dflt);
    }

    private static SpecialToken parseSpecial(JsonNode v, String key, Path file) {
        if (v.isNull()) {
            if (key.equals("pad_token")) return null;
            throw new TokenizerLoadException(file + ": " + key + " is null; LlamaTokenizer needs it");
        }
        if (v.isTextual()) return specialOrFail(v.textValue(), false, false, key, file);
        if (v.isObject() && v.path("content").isTextual()) {
            return specialOrFail(v.get("content").textValue(), v.path("lstrip").asBoolean(false), v.path("rstrip").asBoolean(false), key, file);
        }
        throw new TokenizerLoadException(file + ": " + key + " must be a string or an AddedToken object with \"content\", got " + v);
    }

    private static SpecialToken specialOrFail(String content, boolean lstrip, boolean rstrip, String key, Path file) {
        try {
            return new SpecialToken(content, lstrip, rstrip);
        } catch (IllegalArgumentException e) {
            throw new TokenizerLoadException(file + ": " + key + ": " + e.getMessage(), e);
        }
    }

    private static boolean bool(JsonNode cfg, String key, boolean dflt, Path file) {
        JsonNode v = cfg.get(key);
        if (v == null) return dflt;
        if (v.isNull()) return false; // 4.31 keeps None and tests it for truth
        if (!v.isBoolean()) throw new TokenizerLoadException(file + ": " + key + " must be true or false, got " + v);
        return v.booleanValue();
    }

    private static String text(JsonNode cfg, String key, Path file) {
        JsonNode v = cfg.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new TokenizerLoadException(file + ": " + key + " must be a string, got " + v);
        return v.textValue();
    }
}
