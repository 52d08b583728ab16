package io.share4v.train.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The progress channel's wire format: UTF-8 lines of JSON (snake_case keys). A rank opens with a {@link Hello}; the
 * server answers {@link #ACCEPTED} or closes the connection; then the rank sends one {@link ProgressEvent} per line
 * until it closes.
 */
final class ProgressWire {
    /** The hello's {@code protocol}: a stray client (another service, another job's protocol) is told apart. */
    static final String PROTOCOL = "share4v-progress";
    /** Bumped on any change of the wire format; a rank of another version is refused. */
    static final int VERSION = 1;
    /** The server's answer to a valid hello. */
    static final String ACCEPTED = "{\"accepted\":true}";
    /** Longest hello or answer line read: a stray sending a stream without newlines is cut off. */
    static final int MAX_HANDSHAKE_LINE = 4096;

    private ProgressWire() {}

    /**
     * The first line of a rank's connection.
     *
     * @param tokenSha256 the SHA-256 of the run's progress token, base64 (the token itself never goes over the wire)
     * @param attempt the id shared by the ranks of this stage attempt
     */
    record Hello(String protocol, int version, String tokenSha256, String attempt, int rank, int world) {}

    static String encode(Object message) {
        try {
            return MetricsLog.JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    static <T> T decode(String line, Class<T> type) throws IOException {
        return MetricsLog.JSON.readValue(line, type);
    }

    /** The next line of {@code in} without its newline; null at the end of the stream or past {@code max} bytes. */
    static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= max) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
