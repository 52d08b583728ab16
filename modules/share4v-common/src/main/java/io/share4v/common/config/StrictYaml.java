package io.share4v.common.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one way configuration YAML is read: snake_case keys, unknown keys are errors, and no silent type
 * coercion ({@code stage: "1"} or {@code seed: 1.5} fail instead of being converted), so a typo in a
 * config file stops the job instead of running it with a default. Enums implementing {@link ConfigName} are
 * read and written by their config spelling.
 */
public final class StrictYaml {
    private StrictYaml() {}

    public static ObjectMapper yamlMapper() {
        return configure(YAMLMapper.builder(new YAMLFactory())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    public static ObjectMapper jsonMapper() {
        return configure(JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    /** A one-line message naming the offending key (from the mapping path), the problem and the line. */
    public static String describe(JsonProcessingException e) {
        Throwable c = e.getCause();
        if (c instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        if (e instanceof InvalidFormatException f
                && f.getTargetType() != null
                && ConfigName.class.isAssignableFrom(f.getTargetType())
                && !f.getPath().isEmpty()) {
            return ConfigChecks.message(keyPath(f), f.getValue(), ConfigName.allowed(f.getTargetType()));
        }
        StringBuilder b = new StringBuilder();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            b.append("key '").append(keyPath(m)).append("': ");
        }
        b.append(e.getOriginalMessage());
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            b.append(" (line ").append(e.getLocation().getLineNr()).append(')');
        }
        return b.toString();
    }

    /** The dotted key of a mapping error: {@code datasets[0].aspect}. */
    private static String keyPath(JsonMappingException m) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // a key given twice is an error, not "the last one wins" (the first value would be silently ignored)
        m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }
}
