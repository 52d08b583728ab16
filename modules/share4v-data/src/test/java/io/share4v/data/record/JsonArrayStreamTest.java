package io.share4v.data.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonArrayStreamTest {
    private static List<JsonArrayStream.Element> readAll(String json) throws IOException {
        List<JsonArrayStream.Element> out = new ArrayList<>();
        try (JsonArrayStream s =
                new JsonArrayStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "data.json")) {
            JsonArrayStream.Element e;
            while ((e = s.nextOrNull()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void streamsElementsWithTheirIndex() throws IOException {
        List<JsonArrayStream.Element> els = readAll("[{\"id\":\"a\"}, 3, \"x\", {\"id\":\"b\"}]");
        assertEquals(4, els.size());
        assertEquals(3, els.get(3).index());
        assertEquals("b", els.get(3).node().get("id").asText());
        assertTrue(els.get(1).node().isInt());
        assertEquals(0, readAll("[]").size());
    }

    @Test
    void brokenFilesAreErrorsNamingTheFile() {
        for (String bad : new String[] {
            "",
            "{\"id\":1}",
            "[{\"id\":\"a\"}, {\"id\":",
            "[{\"id\":\"a\"}",
            "[{\"id\":\"a\"} {\"id\":\"b\"}]",
            "[1] [2]",
            "[{\"id\": tru}]"
        }) {
            IOException e = assertThrows(IOException.class, () -> readAll(bad), bad);
            assertTrue(e.getMessage().startsWith("data.json "), e.getMessage());
        }
    }
}
