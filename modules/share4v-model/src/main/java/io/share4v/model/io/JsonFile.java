package io.share4v.model.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One JSON object read from a file, with typed accessors whose errors name the file, the key (as a dotted
 * path for nested objects), the value found and what was expected.
 */
final class JsonFile {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private final Path file;
    private final String prefix;
    private final JsonNode node;

    private JsonFile(Path file, String prefix, JsonNode node) {
        this.file = file;
        this.prefix = prefix;
        this.node = node;
    }

    static JsonFile read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new CheckpointException("missing file " + file);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new CheckpointException(file + " must hold a JSON object");
        }
        return new JsonFile(file, "", n);
    }

    Path file() {
        return file;
    }

    JsonNode node() {
        return node;
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** A nested object ({@code vision_config}); its keys are reported as {@code vision_config.key}. */
    JsonFile object(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isObject()) {
            throw error(key, v, "an object");
        }
        return new JsonFile(file, prefix + key + ".", v);
    }

    String string(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw error(key, v, "a string");
        }
        return v.asText();
    }

    String string(String key, String dflt) {
        return has(key) ? string(key) : dflt;
    }

    int integer(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(key, v, "an integer");
        }
        return v.asInt();
    }

    int integer(String key, int dflt) {
        return has(key) ? integer(key) : dflt;
    }

    double number(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw error(key, v, "a number");
        }
        return v.asDouble();
    }

    double number(String key, double dflt) {
        return has(key) ? number(key) : dflt;
    }

    boolean bool(String key, boolean dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw error(key, v, "true or false");
        }
        return v.asBoolean();
    }

    CheckpointException error(String key, JsonNode value, String expected) {
        return new CheckpointException(file + ": key \"" + prefix + key + "\" = "
                + (value == null ? "(absent)" : value.toString()) + " is invalid: expected " + expected);
    }

    CheckpointException error(String key, String why) {
        JsonNode v = node.get(key);
        return new CheckpointException(file + ": key \"" + prefix + key + "\" = "
                + (v == null ? "(absent)" : v.toString()) + ": " + why);
    }

    /** Runs a record constructor, re-throwing its validation error with the file name in front. */
    <T> T build(java.util.function.Supplier<T> ctor) {
        try {
            return ctor.get();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }
}
