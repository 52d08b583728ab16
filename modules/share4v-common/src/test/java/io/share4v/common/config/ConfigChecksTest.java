package io.share4v.common.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfigChecksTest {
    @Test
    void messageNamesKeyValueAndAllowedRange() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ConfigChecks.inRange("model_max_length", 8, 16, 1 << 20));
        assertEquals("model_max_length = 8 is invalid: expected 16..1048576", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigChecks.positive("seed_count", 0));
        assertDoesNotThrow(() -> ConfigChecks.inRange("k", 16, 16, 16));
    }
}
