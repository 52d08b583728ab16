package io.share4v.model.config;

/** Validation helper: messages name the key, the value and the allowed range. */
final class ConfigChecks {
    private ConfigChecks() {}

    static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException(key + " = " + value + " is invalid: expected " + allowed);
        }
    }

    static void positive(String key, long value) {
        require(value >= 1, key, value, ">= 1");
    }
}
