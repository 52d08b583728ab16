package io.share4v.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.share4v.common.config.ConfigName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One JSON object read from an input file, strictly: a key given twice is an error (plain Jackson would keep
 * the last value silently), and the typed accessors' errors name the file, the key (as a dotted path for
 * nested objects, with {@code [i]} for array entries), the value found and what was expected, e.g.
 * {@code config.json: key "vision_config.patch_size" = "14" is invalid: expected an integer}.
 *
 * <p>The caller chooses the exception every error becomes ({@code CheckpointException::new},
 * {@code IllegalArgumentException::new}, ...), so each reader keeps its own error type; the factory gets the
 * message and the cause (null when there is none).
 */
public final class JsonFile {
    private static final ObjectReader STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build()
            .reader();

    private final Path file;
    private final String prefix;
    private final JsonNode node;
    private final BiFunction<String, Throwable, ? extends RuntimeException> failure;

    private JsonFile(
            Path file,
            String prefix,
            JsonNode node,
            BiFunction<String, Throwable, ? extends RuntimeException> failure) {
        this.file = file;
        this.prefix = prefix;
        this.node = node;
        this.failure = failure;
    }

    /**
     * Reads {@code file}, which must hold one JSON object.
     *
     * @param failure makes the exception every error of this file (and of its nested objects) is thrown as
     */
    public static JsonFile read(Path file, BiFunction<String, Throwable, ? extends RuntimeException> failure)
            throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw failure.apply("missing file " + file, e);
        }
        return parse(text, file, failure);
    }

    /** As {@link #read}, for JSON text already in memory (e.g. a header inside a binary file); errors name {@code file}. */
    public static JsonFile parse(
            String text, Path file, BiFunction<String, Throwable, ? extends RuntimeException> failure) {
        JsonNode n;
        try {
            n = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("");
            throw failure.apply(file + " is not valid JSON: " + why, e);
        }
        if (n == null || !n.isObject()) {
            throw failure.apply(file + " must hold a JSON object", null);
        }
        return new JsonFile(file, "", n, failure);
    }

    /** The strict (duplicate-refusing) reader, for callers that walk a tree themselves. */
    public static ObjectReader strictReader() {
        return STRICT;
    }

    public Path file() {
        return file;
    }

    /** The raw object, for walks the accessors do not cover (e.g. every key of a map). */
    public JsonNode node() {
        return node;
    }

    /** Present and not JSON null. */
    public boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** Present with the value JSON null (some formats give null its own meaning). */
    public boolean isNull(String key) {
        return node.has(key) && node.get(key).isNull();
    }

    /** Fails naming the first key not in {@code known} (the message lists the known keys). */
    public void requireOnlyKeys(Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw fail("unknown key '" + prefix + k + "'; known keys: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** A nested object ({@code vision_config}); its keys are reported as {@code vision_config.key}. */
    public JsonFile object(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isObject()) {
            throw error(key, v, "an object");
        }
        return new JsonFile(file, prefix + key + ".", v, failure);
    }

    public String string(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw error(key, v, "a string");
        }
        return v.asText();
    }

    /** {@code dflt} when the key is absent or null. */
    public String string(String key, String dflt) {
        return has(key) ? string(key) : dflt;
    }

    public int integer(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(key, v, "an integer");
        }
        return v.asInt();
    }

    public int integer(String key, int dflt) {
        return has(key) ? integer(key) : dflt;
    }

    public double number(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw error(key, v, "a number");
        }
        return v.asDouble();
    }

    public double number(String key, double dflt) {
        return has(key) ? number(key) : dflt;
    }

    public boolean bool(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isBoolean()) {
            throw error(key, v, "true or false");
        }
        return v.asBoolean();
    }

    public boolean bool(String key, boolean dflt) {
        return has(key) ? bool(key) : dflt;
    }

    /** An enum setting by its config spelling; {@code dflt} when absent or null. */
    public <E extends Enum<E> & ConfigName> E enumValue(String key, Class<E> type, E dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode v = node.get(key);
        for (E e : type.getEnumConstants()) {
            if (v.isTextual() && e.configName().equals(v.asText())) {
                return e;
            }
        }
        throw error(key, v, ConfigName.allowed(type));
    }

    /** An array of strings; null when absent or null. Entries are reported as {@code key[i]}. */
    public List<String> strings(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode a = node.get(key);
        if (!a.isArray()) {
            throw error(key, a, "an array of strings");
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) {
                throw error(key + "[" + i + "]", a.get(i), "a string");
            }
            out.add(a.get(i).asText());
        }
        return out;
    }

    /**
     * A non-empty array of non-empty rows of 32-bit integers (rows may differ in length); null when absent or
     * null. A bad entry is reported as {@code key[row][column]}.
     */
    public int[][] intRows(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode a = node.get(key);
        if (!a.isArray() || a.isEmpty()) {
            throw error(key, a, "a non-empty array of rows");
        }
        int[][] out = new int[a.size()][];
        for (int b = 0; b < a.size(); b++) {
            JsonNode row = a.get(b);
            if (!row.isArray() || row.isEmpty()) {
                throw error(key + "[" + b + "]", row, "a non-empty array of integers");
            }
            out[b] = new int[row.size()];
            for (int t = 0; t < row.size(); t++) {
                JsonNode v = row.get(t);
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw error(key + "[" + b + "][" + t + "]", v, "a 32-bit integer");
                }
                out[b][t] = v.intValue();
            }
        }
        return out;
    }

    /** {@code file: key "k" = value is invalid: expected what}. */
    public RuntimeException error(String key, JsonNode value, String expected) {
        return fail("key \"" + prefix + key + "\" = " + (value == null ? "(absent)" : value.toString())
                + " is invalid: expected " + expected);
    }

    /** {@code file: key "k" = value: why}, for checks beyond a type. */
    public RuntimeException error(String key, String why) {
        JsonNode v = node.get(key);
        return fail("key \"" + prefix + key + "\" = " + (v == null ? "(absent)" : v.toString()) + ": " + why);
    }

    /** {@code file: message}, in the caller's exception type. */
    public RuntimeException fail(String message) {
        return failure.apply(file + ": " + message, null);
    }

    /** Runs a record constructor, re-throwing its validation error with the file name in front. */
    public <T> T build(Supplier<T> ctor) {
        try {
            return ctor.get();
        } catch (IllegalArgumentException e) {
            throw failure.apply(file + ": " + e.getMessage(), e);
        }
    }
}
