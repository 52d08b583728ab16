package io.share4v.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** The numbers an excerpt's committed {@code expected.json} holds, and comparisons with a scorer's output. */
public final class Expected {
    /** The committed test excerpts. */
    public static final Path RESOURCES = Path.of("src/test/resources");

    private Expected() {}

    /** {@code expected.json} of the excerpt directory {@code bench}. */
    public static JsonNode of(String bench) {
        try {
            return new JsonMapper()
                    .readTree(RESOURCES.resolve(bench).resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key of {@code expected} (recursively; numbers to 1e-9) equals {@code actual}'s. */
    public static void assertSubset(JsonNode expected, JsonNode actual) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = actual.get(e.getKey());
            assertTrue(a != null, "no key " + e.getKey() + " in " + actual);
            if (e.getValue().isObject()) {
                assertSubset(e.getValue(), a);
            } else if (e.getValue().isNumber()) {
                assertEquals(e.getValue().doubleValue(), a.doubleValue(), 1e-9, e.getKey());
            } else {
                assertEquals(e.getValue(), a, e.getKey());
            }
        }
    }

    /** A published number: {@code value} rounds (half up) to {@code published} at {@code decimals}. */
    public static void assertRoundsTo(String published, double value, int decimals) {
        assertEquals(
                new BigDecimal(published),
                BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP),
                "computed " + value);
    }
}
