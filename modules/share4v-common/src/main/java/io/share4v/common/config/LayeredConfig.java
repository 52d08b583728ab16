package io.share4v.common.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a job's settings are resolved: defaults &lt;- YAML file (optional) &lt;- typed option values &lt;-
 * {@code --set key=value} strings, later layers winning. Every layer may only name keys the defaults have
 * (an unknown key is an error listing the known ones); the merged key map is then converted strictly
 * ({@link StrictYaml}) into the immutable record {@code T}, whose constructor checks the values. Errors start
 * with the config's name and name the key.
 *
 * <p>{@code --set} values are YAML scalars, so {@code seed=7} is an int, {@code overwrite=true} a boolean and
 * {@code ordering=shuffle} a string; an empty value is the empty string.
 *
 * @param <T> the config record; its components are the snake_case keys of the defaults map
 */
public final class LayeredConfig<T> {
    private static final TypeReference<LinkedHashMap<String, Object>> KEY_MAP = new TypeReference<>() {};

    private final String name;
    private final Class<T> type;
    private final Supplier<Map<String, Object>> defaults;

    /**
     * @param name     how errors name the config, e.g. {@code shard config}
     * @param defaults a fresh, ordered map of every key with its default (null when the key has none)
     */
    public LayeredConfig(String name, Class<T> type, Supplier<Map<String, Object>> defaults) {
        this.name = name;
        this.type = type;
        this.defaults = defaults;
    }

    /** The record for defaults &lt;- {@code yaml} &lt;- {@code values} &lt;- {@code sets}; any of them may be null. */
    public T load(Path yaml, Map<String, Object> values, List<String> sets) throws IOException {
        return convert(keys(yaml, values, sets));
    }

    /** The merged key map before conversion (insertion order = the defaults' order). */
    public Map<String, Object> keys(Path yaml, Map<String, Object> values, List<String> sets) throws IOException {
        Map<String, Object> keys = new LinkedHashMap<>(defaults.get());
        if (yaml != null) {
            Map<String, Object> fromFile;
            try {
                fromFile = StrictYaml.yamlMapper().readValue(yaml.toFile(), KEY_MAP);
            } catch (JsonProcessingException e) {
                throw new IOException(name + ": config file " + yaml + ": " + StrictYaml.describe(e), e);
            }
            if (fromFile != null) {
                merge(keys, fromFile, "config file " + yaml);
            }
        }
        if (values != null) {
            merge(keys, values, "option");
        }
        for (String s : sets == null ? List.<String>of() : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(name + ": --set " + s + ": expected key=value");
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(s.substring(0, eq).trim(), scalar(s.substring(eq + 1)));
            merge(keys, one, "--set");
        }
        return keys;
    }

    /** Strict conversion of a complete key map into the record; the record's own checks run here. */
    public T convert(Map<String, Object> keys) {
        try {
            return StrictYaml.jsonMapper().convertValue(keys, type);
        } catch (IllegalArgumentException e) {
            String why = e.getCause() instanceof JsonProcessingException j ? StrictYaml.describe(j) : e.getMessage();
            throw new IllegalArgumentException(name + ": " + why, e);
        }
    }

    /**
     * The record as its key map (enums by their config spelling), e.g. for provenance next to a job's output.
     * Components marked {@code @JsonIgnore} are left out.
     */
    public static Map<String, Object> asKeys(Object config) {
        return StrictYaml.jsonMapper().convertValue(config, KEY_MAP);
    }

    /** A {@code --set} value read as a YAML scalar: {@code 7} an int, {@code true} a boolean, empty or null as "". */
    static Object scalar(String value) throws IOException {
        if (value.isEmpty()) {
            return "";
        }
        ObjectMapper yaml = StrictYaml.yamlMapper();
        Object parsed = yaml.readValue(value, Object.class);
        return parsed == null ? "" : parsed;
    }

    private void merge(Map<String, Object> keys, Map<String, Object> overrides, String from) {
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            if (!keys.containsKey(e.getKey())) {
                throw new IllegalArgumentException(name + ": " + from + ": unknown key '" + e.getKey()
                        + "'; known keys: " + String.join(", ", keys.keySet()));
            }
            keys.put(e.getKey(), e.getValue());
        }
    }
}
