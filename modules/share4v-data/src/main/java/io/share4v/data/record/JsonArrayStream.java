package io.share4v.data.record;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the elements of one top-level JSON array (the LLaVA data format) without holding the array:
 * the real files are 1.2-1.5 GB. Each element is materialised alone as a tree. A syntax error or a file
 * that ends inside the array is an {@link IOException} naming the source, element index and byte offset,
 * because a broken file must stop the job before any work is done, not lose its tail silently.
 */
public final class JsonArrayStream implements Iterator<JsonArrayStream.Element>, Closeable {
    /** One array element with its 0-based position in the array. */
    public record Element(long index, JsonNode node) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String source;
    private final JsonParser parser;
    private long nextIndex;
    private Element pending;
    private boolean finished;

    public JsonArrayStream(InputStream in, String source) throws IOException {
        this.source = source;
        this.parser = MAPPER.getFactory().createParser(in);
        JsonToken first;
        try {
            first = parser.nextToken();
        } catch (JsonParseException e) {
            throw error("is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (first != JsonToken.START_ARRAY) {
            throw error(
                    "must hold one JSON array of records, found " + (first == null ? "an empty file" : first), null);
        }
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            try {
                pending = advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pending != null;
    }

    @Override
    public Element next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Element e = pending;
        pending = null;
        return e;
    }

    /** Like {@link #next()} but with the checked exception, for callers that want it. */
    public Element nextOrNull() throws IOException {
        if (pending != null) {
            Element e = pending;
            pending = null;
            return e;
        }
        return finished ? null : advance();
    }

    private Element advance() throws IOException {
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                throw error("ends inside the top-level array after " + nextIndex + " elements (truncated file?)", null);
            }
            if (t == JsonToken.END_ARRAY) {
                finished = true;
                JsonToken trailing = parser.nextToken();
                if (trailing != null) {
                    throw error("has content after the top-level array: " + trailing, null);
                }
                return null;
            }
            JsonNode node = MAPPER.readTree(parser);
            return new Element(nextIndex++, node);
        } catch (JsonParseException e) {
            throw error("is not valid JSON at element " + nextIndex + ": " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw error("ends inside element " + nextIndex + " (truncated file?): " + e.getOriginalMessage(), e);
        }
    }

    private IOException error(String what, Exception cause) {
        finished = true;
        long offset = parser.currentLocation().getByteOffset();
        return new IOException(source + " " + what + " (byte offset " + offset + ")", cause);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
