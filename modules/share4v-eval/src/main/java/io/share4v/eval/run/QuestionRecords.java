package io.share4v.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading question files record by record: a record that is not valid JSON, not an object or lacks a field is a
 * {@link BadRecords.Problem}, collected with every other one (see {@link BadRecords}).
 */
public final class QuestionRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuestionRecords() {}

    /** Turns one record into a question; throws {@link BadRecords.Problem} for a bad one. */
    @FunctionalInterface
    public interface Reader {
        EvalQuestion read(JsonNode record, int index);
    }

    /** The questions of a JSONL {@code file} (one object a line, blank lines skipped), each line read by {@code reader}. */
    public static List<EvalQuestion> jsonl(Path file, String what, Reader reader) {
        List<String> lines = GroundTruthJson.textLines(file, what);
        BadRecords bad = new BadRecords(file, what);
        List<EvalQuestion> out = new ArrayList<>();
        int records = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            records++;
            String where = "line " + (i + 1);
            try {
                JsonNode n;
                try {
                    n = JSON.readTree(lines.get(i));
                } catch (IOException e) {
                    throw new BadRecords.Problem("not valid JSON (" + GroundTruthJson.firstLine(e) + ")");
                }
                requireObject(n);
                out.add(reader.read(n, out.size()));
            } catch (BadRecords.Problem p) {
                bad.add(where, p.getMessage());
            }
        }
        bad.throwIfAny(records);
        return out;
    }

    /** The questions of a {@code file} holding one JSON array of objects, each read by {@code reader}. */
    public static List<EvalQuestion> jsonArray(Path file, String what, Reader reader) {
        JsonNode root = GroundTruthJson.read(file, what);
        if (root == null || !root.isArray()) {
            throw new EvalInputException(file + ": not " + what + ": not a JSON array");
        }
        BadRecords bad = new BadRecords(file, what);
        List<EvalQuestion> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            String where = "record " + i;
            try {
                requireObject(root.get(i));
                out.add(reader.read(root.get(i), out.size()));
            } catch (BadRecords.Problem p) {
                bad.add(where, p.getMessage());
            }
        }
        bad.throwIfAny(root.size());
        return out;
    }

    /** The string field {@code name}, or a problem naming it. */
    public static String text(JsonNode record, String name) {
        JsonNode v = record.get(name);
        if (v == null || !v.isTextual()) {
            throw new BadRecords.Problem("no string \"" + name + "\"");
        }
        return v.textValue();
    }

    /** The {@code question_id}: a string or an integer, kept as the file has it. */
    public static JsonNode questionId(JsonNode record, String name) {
        JsonNode id = record.get(name);
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw new BadRecords.Problem("no " + name + " (a string or an integer)");
        }
        return id;
    }

    private static void requireObject(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new BadRecords.Problem("not a JSON object");
        }
    }
}
