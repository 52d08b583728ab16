package io.share4v.eval.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.run.EvalQuestion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chunk's answers, {@code parts/chunk-NNNNN.jsonl}: the answer lines of the chunk's questions in order, one JSON
 * object per line, appended and flushed as they are answered, so that after a crash the file holds the answered
 * prefix of the chunk plus at most one torn line.
 */
public final class PartFile {
    private static final Logger log = LoggerFactory.getLogger(PartFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PartFile() {}

    /** {@code parts/chunk-00003.jsonl}. */
    public static Path of(Path partsDir, int chunk) {
        return partsDir.resolve(String.format("chunk-%05d.jsonl", chunk));
    }

    /**
     * How many of {@code questions} (the chunk's, in order) {@code file} already answers: its complete lines, each
     * checked to carry the identity fields of the question at its position. A last line without its newline (torn by
     * a crash) is cut off the file and logged. A line that is not JSON, a line for another question (the question
     * file changed) or more lines than questions is an {@link EvalInputException} naming the file and the line.
     */
    public static int resume(Path file, List<EvalQuestion> questions) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        int complete = lastNewline(bytes) + 1;
        if (complete < bytes.length) {
            log.info(
                    "{}: cut off a torn last line ({} bytes without a newline, left by an interrupted run)",
                    file,
                    bytes.length - complete);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(complete);
            }
        }
        String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
        int kept = lines.length == 0 ? 0 : lines.length - 1; // the text ends with '\n': the last piece is empty
        if (kept > questions.size()) {
            throw new EvalInputException(file + ": " + kept + " answer lines for a chunk of " + questions.size()
                    + " questions; the chunking changed since these answers were written");
        }
        for (int i = 0; i < kept; i++) {
            checkIdentity(file, i + 1, lines[i], questions.get(i));
        }
        return kept;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void checkIdentity(Path file, int lineNumber, String line, EvalQuestion q) {
        JsonNode answer;
        try {
            answer = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new EvalInputException(file + ": line " + lineNumber + " is not valid JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (answer == null || !answer.isObject()) {
            throw new EvalInputException(file + ": line " + lineNumber + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = q.identity().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode written = answer.get(f.getKey());
            if (!f.getValue().equals(written)) {
                throw new EvalInputException(file + ": line " + lineNumber + " answers " + f.getKey() + " = "
                        + written + ", but question " + (q.index() + 1) + " of the question file (this line's"
                        + " position) has " + f.getKey() + " = " + f.getValue()
                        + "; the question file changed since these answers were written");
            }
        }
    }
}
