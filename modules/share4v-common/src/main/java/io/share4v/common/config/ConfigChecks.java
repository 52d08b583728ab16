package io.share4v.common.config;

/**
 * The one validation message of every config record, option and file header: it names the key, the value
 * found and what is allowed, e.g. {@code model_max_length = 8 is invalid: expected 16..1048576}.
 */
public final class ConfigChecks {
    private ConfigChecks() {}

    /** Throws {@link IllegalArgumentException} with the standard message unless {@code ok}. */
    public static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw invalid(key, value, allowed);
        }
    }

    /** {@code value >= 1}. */
    public static void positive(String key, long value) {
        require(value >= 1, key, value, ">= 1");
    }

    /** {@code lo <= value <= hi}, reported as {@code lo..hi}. */
    public static void inRange(String key, long value, long lo, long hi) {
        require(value >= lo && value <= hi, key, value, lo + ".." + hi);
    }

    /** The standard message as an exception, for callers that detect the problem themselves. */
    public static IllegalArgumentException invalid(String key, Object value, String allowed) {
        return new IllegalArgumentException(message(key, value, allowed));
    }

    /** The standard message: {@code key = value is invalid: expected allowed}. */
    public static String message(String key, Object value, String allowed) {
        return key + " = " + value + " is invalid: expected " + allowed;
    }
}
