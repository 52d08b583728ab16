package io.share4v.eval.score.pope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** POPE's JSONL files (question and label files): one object a line, the named string keys required. */
final class PopeJsonl {
    private static final JsonMapper JSON = new JsonMapper();

    private PopeJsonl() {}

    /** A record and where it is, for messages. */
    record Line(Path file, int number, JsonNode node) {
        String where() {
            return file + " line " + number;
        }

        String text(String key) {
            return node.get(key).textValue();
        }
    }

    /** The non-blank lines of {@code file}, each an object with string values for {@code keys}. */
    static List<Line> read(Path file, String what, String... keys) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": not found (" + what + ")", e);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new EvalInputException(file + " line " + (i + 1) + ": not valid JSON (" + what + ")", e);
            }
            if (n == null || !n.isObject() || !n.hasNonNull("question_id")) {
                throw new EvalInputException(
                        file + " line " + (i + 1) + ": not an object with a question_id (" + what + ")");
            }
            for (String key : keys) {
                if (!n.path(key).isTextual()) {
                    throw new EvalInputException(
                            file + " line " + (i + 1) + ": no string \"" + key + "\" (" + what + ")");
                }
            }
            out.add(new Line(file, i + 1, n));
        }
        if (out.isEmpty()) {
            throw new EvalInputException(file + ": empty (" + what + ")");
        }
        return out;
    }
}
