package io.share4v.common.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTest {
    @TempDir
    Path dir;

    private JsonFile read(String json) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        return JsonFile.read(f, IllegalStateException::new);
    }

    private String error(String json, java.util.function.Consumer<JsonFile> access) {
        return assertThrows(IllegalStateException.class, () -> access.accept(read(json)))
                .getMessage();
    }

    @Test
    void duplicateKeysAndNonObjectsAreRefused() {
        String m = error("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}", f -> {});
        assertTrue(m.contains("config.json is not valid JSON") && m.contains("Duplicate field 'c'"), m);
        assertTrue(error("[1, 2]", f -> {}).endsWith("config.json must hold a JSON object"));
        Path missing = dir.resolve("none.json");
        assertEquals(
                "missing file " + missing,
                assertThrows(IllegalStateException.class, () -> JsonFile.read(missing, IllegalStateException::new))
                        .getMessage());
    }

    @Test
    void wrongTypesNameFileDottedKeyValueAndExpectation() {
        Path f = dir.resolve("config.json");
        assertEquals(
                f + ": key \"vision_config.patch_size\" = \"14\" is invalid: expected an integer",
                error(
                        "{\"vision_config\": {\"patch_size\": \"14\"}}",
                        j -> j.object("vision_config").integer("patch_size")));
        assertEquals(f + ": key \"size\" = (absent) is invalid: expected a number", error("{}", j -> j.number("size")));
        assertEquals(
                f + ": key \"ids[1][0]\" = 2.5 is invalid: expected a 32-bit integer",
                error("{\"ids\": [[1], [2.5]]}", j -> j.intRows("ids")));
        assertEquals(
                f + ": key \"ids[0]\" = [] is invalid: expected a non-empty array of integers",
                error("{\"ids\": [[]]}", j -> j.intRows("ids")));
        assertEquals(
                f + ": key \"names[1]\" = 3 is invalid: expected a string",
                error("{\"names\": [\"a\", 3]}", j -> j.strings("names")));
        assertEquals(
                f + ": unknown key 'x'; known keys: a, b",
                error("{\"a\": 1, \"x\": 2}", j -> j.requireOnlyKeys(Set.of("b", "a"))));
        assertEquals(
                f + ": key \"on\" = 1 is invalid: expected true or false",
                error("{\"on\": 1}", j -> j.bool("on", true)));
    }

    @Test
    void typedAccessorsAndDefaults() throws IOException {
        JsonFile j = read("{\"s\": \"x\", \"i\": 3, \"d\": 0.5, \"b\": true, \"n\": null, \"ids\": [[1, 2], [3]],"
                + " \"names\": [\"a\"]}");
        assertEquals("x", j.string("s"));
        assertEquals("dflt", j.string("n", "dflt"));
        assertEquals(3, j.integer("i"));
        assertEquals(7, j.integer("absent", 7));
        assertEquals(0.5, j.number("d"));
        assertEquals(3.0, j.number("i"));
        assertTrue(j.bool("b"));
        assertTrue(j.isNull("n"));
        assertFalse(j.has("n"));
        assertArrayEquals(new int[][] {{1, 2}, {3}}, j.intRows("ids"));
        assertNull(j.intRows("absent"));
        assertEquals(List.of("a"), j.strings("names"));
    }

    @Test
    void constructorErrorsGetTheFileNameAndTheCallersExceptionType() throws IOException {
        JsonFile j = read("{}");
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> JsonFile.parse("{}", j.file(), (m, c) -> new UncheckedIOException(m, new IOException(c)))
                        .build(() -> {
                            throw new IllegalArgumentException("k = 1 is invalid: expected 2");
                        }));
        assertEquals(j.file() + ": k = 1 is invalid: expected 2", e.getMessage());
    }
}
