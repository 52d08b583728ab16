package io.share4v.common.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * An enum setting with its spelling in config files, JSON and on the command line ({@code keep_ignored},
 * {@code cls_patch}). Jackson reads and writes the enum by {@link #configName()}; a wrong spelling read by
 * Jackson is reported by {@link StrictYaml#describe} and one read elsewhere by {@link #parse}, both with
 * the standard {@link ConfigChecks} message naming the key, the value and every allowed name.
 */
public interface ConfigName {
    /** The spelling in config files; also what Jackson writes. */
    @JsonValue
    String configName();

    /** The constant spelled {@code value}, or the standard message naming {@code key}. */
    static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.configName().equals(value)) {
                return e;
            }
        }
        throw ConfigChecks.invalid(key, value, allowed(type));
    }

    /** The allowed spellings as a phrase: {@code pad or square}, {@code a, b or c}. */
    static String allowed(Class<?> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(e -> ((ConfigName) e).configName())
                .toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** Fails with the standard message when a required enum setting is null (e.g. {@code image_mode: null}). */
    static <E extends Enum<E> & ConfigName> void requirePresent(E value, Class<E> type, String key) {
        ConfigChecks.require(value != null, key, null, allowed(type));
    }
}
