package io.share4v.eval.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading ground-truth and question files (JSON or JSONL) so that every problem names the file, the record and the
 * reason, and ids come out in the form {@link io.share4v.eval.answers.Answer#key} compares.
 */
public final class GroundTruthJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GroundTruthJson() {}

    /** The whole of {@code file}, which should be {@code what} (named in messages). */
    public static JsonNode read(Path file, String what) {
        try {
            return JSON.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": not found (expected " + what + ")", e);
        } catch (IOException e) {
            throw new EvalInputException(file + ": not " + what + " (" + firstLine(e) + ")", e);
        }
    }

    /** One record of a JSONL file and where it is, for messages. */
    public record Line(Path file, int number, JsonNode node) {
        public String where() {
            return file + " line " + number;
        }

        /** The string {@code key} of a record checked to have it. */
        public String text(String key) {
            return node.get(key).textValue();
        }
    }

    /** The JSON objects of a JSONL {@code file}, one a line (blank lines skipped); a bad line is an error naming it. */
    public static List<JsonNode> readLines(Path file, String what) {
        return readNumberedLines(file, what).stream().map(Line::node).toList();
    }

    /** {@link #readLines} with each record's line number. */
    public static List<Line> readNumberedLines(Path file, String what) {
        List<String> lines = textLines(file, what);
        List<Line> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new EvalInputException(
                        file + ": line " + (i + 1) + " of " + what + " is not valid JSON (" + firstLine(e) + ")", e);
            }
            if (n == null || !n.isObject()) {
                throw new EvalInputException(file + ": line " + (i + 1) + " of " + what + " is not a JSON object");
            }
            records.add(new Line(file, i + 1, n));
        }
        return records;
    }

    /** The UTF-8 lines of {@code file}, which should be {@code what}; a missing or unreadable file is an error naming it. */
    public static List<String> textLines(Path file, String what) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": not found (expected " + what + ")", e);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** The string field {@code name} of {@code record} ({@code where} names the record in {@code file}). */
    public static String text(JsonNode record, String name, Path file, String where) {
        JsonNode v = record.get(name);
        if (v == null || !v.isTextual()) {
            throw new EvalInputException(file + ": " + where + ": no string \"" + name + "\"");
        }
        return v.textValue();
    }

    /** The array field {@code name} of {@code record}. */
    public static JsonNode array(JsonNode record, String name, Path file, String where) {
        JsonNode v = record.get(name);
        if (v == null || !v.isArray()) {
            throw new EvalInputException(file + ": " + where + ": no array \"" + name + "\"");
        }
        return v;
    }

    /** The answer key of a string question id (JSON text, quoted: string and integer ids never match). */
    public static String stringKey(String id) {
        return new TextNode(id).toString();
    }

    /** The first line of a parser's message (Jackson appends the source location on later lines). */
    public static String firstLine(IOException e) {
        return e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    }
}
