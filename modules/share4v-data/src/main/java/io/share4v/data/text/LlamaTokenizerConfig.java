package io.share4v.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.common.json.JsonFile;
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
public record LlamaTokenizerConfig(
        boolean legacy,
        boolean addBosToken,
        boolean addEosToken,
        SpecialToken bos,
        SpecialToken eos,
        SpecialToken unk,
        SpecialToken pad) {
    public static final String FILE_NAME = "tokenizer_config.json";
    private static final Set<String> SPECIAL_KEYS = Set.of("bos_token", "eos_token", "unk_token", "pad_token");

    public LlamaTokenizerConfig {
        if (bos == null || eos == null || unk == null) {
            throw new IllegalArgumentException(
                    "bos, eos and unk tokens are required, got bos=" + bos + " eos=" + eos + " unk=" + unk);
        }
    }

    /** The 4.31 constructor defaults: legacy, BOS added, no EOS, {@code <s>}, {@code </s>}, {@code <unk>}, no pad. */
    public static LlamaTokenizerConfig defaults() {
        return new LlamaTokenizerConfig(
                true,
                true,
                false,
                SpecialToken.plain("<s>"),
                SpecialToken.plain("</s>"),
                SpecialToken.plain("<unk>"),
                null);
    }

    public LlamaTokenizerConfig withLegacy(boolean newLegacy) {
        return new LlamaTokenizerConfig(newLegacy, addBosToken, addEosToken, bos, eos, unk, pad);
    }

    /**
     * Reads {@code tokenizer_config.json} and {@code special_tokens_map.json} from a model folder; both are optional.
     * Without {@code tokenizer_config.json} every setting is the 4.31 constructor default ({@link #defaults()}),
     * except special tokens that {@code special_tokens_map.json} names: {@code from_pretrained} reads that file
     * whether or not a config exists (older LLaMA conversions ship only {@code tokenizer.model}).
     */
    public static LlamaTokenizerConfig read(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new TokenizerLoadException(file + ": is not a regular file");
        }
        if (Files.exists(modelDir.resolve("added_tokens.json"))) {
            throw new TokenizerLoadException(modelDir.resolve("added_tokens.json")
                    + ": added tokens beyond <s>, </s>, <unk> are not supported by this tokenizer");
        }
        JsonFile cfg = Files.exists(file) ? readObject(file) : JsonFile.parse("{}", file, TokenizerLoadException::new);
        String cls = cfg.string("tokenizer_class", null);
        if (cls != null && !cls.equals("LlamaTokenizer")) {
            throw cfg.error("tokenizer_class", "only the slow LlamaTokenizer is implemented");
        }
        if (flag(cfg, "clean_up_tokenization_spaces", false)) {
            throw cfg.error("clean_up_tokenization_spaces", "true is not supported (decode reproduces false)");
        }
        JsonNode kwargs = cfg.node().get("sp_model_kwargs");
        if (kwargs != null && !kwargs.isNull() && !(kwargs.isObject() && kwargs.isEmpty())) {
            throw cfg.error("sp_model_kwargs", kwargs, "{} (no SentencePiece options are supported)");
        }
        // Absent means the 4.31 constructor default (true); null behaves as false because 4.31 tests `not self.legacy`.
        boolean legacy = !cfg.isNull("legacy") && cfg.bool("legacy", true);

        Path mapFile = modelDir.resolve("special_tokens_map.json");
        JsonFile map = Files.isRegularFile(mapFile) ? readObject(mapFile) : null;
        SpecialToken bos = special(map, cfg, "bos_token", "<s>");
        SpecialToken eos = special(map, cfg, "eos_token", "</s>");
        SpecialToken unk = special(map, cfg, "unk_token", "<unk>");
        SpecialToken pad = special(map, cfg, "pad_token", null);
        if (map != null) {
            for (Iterator<String> it = map.node().fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!SPECIAL_KEYS.contains(key)) {
                    throw map.error(key, "special token is not supported (only bos, eos, unk, pad)");
                }
            }
        }
        JsonNode additional = cfg.node().get("additional_special_tokens");
        if (additional != null && !additional.isEmpty()) {
            throw cfg.error("additional_special_tokens", "additional special tokens are not supported");
        }
        boolean addBos = flag(cfg, "add_bos_token", true);
        boolean addEos = flag(cfg, "add_eos_token", false);
        return cfg.build(() -> new LlamaTokenizerConfig(legacy, addBos, addEos, bos, eos, unk, pad));
    }

    /** Stable text of every setting that changes ids or decoded text; part of the tokenizer fingerprint. */
    String canonical() {
        return "legacy=" + legacy + ";add_bos_token=" + addBosToken + ";add_eos_token=" + addEosToken + ";bos="
                + describe(bos) + ";eos=" + describe(eos) + ";unk=" + describe(unk) + ";pad=" + describe(pad);
    }

    private static String describe(SpecialToken t) {
        return t == null ? "null" : t.content() + "|lstrip=" + t.lstrip() + "|rstrip=" + t.rstrip();
    }

    private static JsonFile readObject(Path file) {
        try {
            return JsonFile.read(file, TokenizerLoadException::new);
        } catch (IOException e) {
            throw new TokenizerLoadException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A boolean setting; JSON null reads as false, because 4.31 keeps None and tests it for truth. */
    private static boolean flag(JsonFile cfg, String key, boolean dflt) {
        return !cfg.isNull(key) && cfg.bool(key, dflt);
    }

    /** The entry of {@code special_tokens_map.json} when it has one (it wins, as in from_pretrained), else the config's. */
    private static SpecialToken special(JsonFile map, JsonFile cfg, String key, String dflt) {
        if (map != null && map.node().has(key)) return parseSpecial(map, key);
        if (cfg.node().has(key)) return parseSpecial(cfg, key);
        return dflt == null ? null : SpecialToken.plain(dflt);
    }

    private static SpecialToken parseSpecial(JsonFile f, String key) {
        JsonNode v = f.node().get(key);
        if (v.isNull()) {
            if (key.equals("pad_token")) return null;
            throw f.error(key, "LlamaTokenizer needs this token");
        }
        if (v.isTextual()) return specialOrFail(f, key, v.textValue(), false, false);
        if (v.isObject() && v.path("content").isTextual()) {
            return specialOrFail(
                    f,
                    key,
                    v.get("content").textValue(),
                    v.path("lstrip").asBoolean(false),
                    v.path("rstrip").asBoolean(false));
        }
        throw f.error(key, v, "a string or an AddedToken object with \"content\"");
    }

    private static SpecialToken specialOrFail(JsonFile f, String key, String content, boolean lstrip, boolean rstrip) {
        try {
            return new SpecialToken(content, lstrip, rstrip);
        } catch (IllegalArgumentException e) {
            throw f.error(key, e.getMessage());
        }
    }
}
