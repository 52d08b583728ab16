package io.share4v.eval.answers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LLaVA answer file (JSONL, one {@link Answer} per line, in question order as the runners merge their chunks),
 * read strictly: a line that is not a JSON object, has no {@code question_id} or no string {@code text}, or repeats
 * a question id is an error naming the file and the line numbers (counts when there are many), because a score over
 * a silently reduced or doubled set would be wrong. Blank lines are skipped. Order is kept: POPE and MME scorers
 * depend on it.
 */
public final class AnswerFile {
    private static final ObjectReader STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build()
            .reader();
    /** Offending lines named in a message, at most. */
    private static final int SHOWN = 10;

    private final Path file;
    private final List<Answer> answers;
    private final Map<String, Answer> byId;

    private AnswerFile(Path file, List<Answer> answers, Map<String, Answer> byId) {
        this.file = file;
        this.answers = answers;
        this.byId = byId;
    }

    /** How a benchmark turns one parsed line into an {@link Answer}; an {@link IllegalArgumentException} says why not. */
    @FunctionalInterface
    public interface LineFormat {
        Answer answer(JsonNode line, int lineNumber);
    }

    /** The LLaVA format: {@code question_id} (a string or an integer) and a string {@code text}. */
    public static final LineFormat LLAVA = AnswerFile::llavaAnswer;

    /** Reads and checks {@code file} in the {@link #LLAVA} format. */
    public static AnswerFile read(Path file) {
        return read(file, LLAVA);
    }

    /**
     * Reads and checks {@code file}, one JSON object a line, each mapped by {@code format} (which decides the answer's
     * id: benchmarks whose {@code question_id} repeats, like TextVQA's image ids, key answers by more than it).
     */
    public static AnswerFile read(Path file, LineFormat format) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": answers file not found", e);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        List<Answer> answers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                answers.add(format.answer(parse(line), i + 1));
            } catch (IllegalArgumentException e) {
                if (bad++ < SHOWN) {
                    problems.add("line " + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        if (bad > 0) {
            throw new EvalInputException(file + ": " + bad + " malformed line" + (bad == 1 ? "" : "s") + " of "
                    + lines.size() + ":\n  " + String.join("\n  ", problems) + (bad > SHOWN ? "\n  ..." : ""));
        }
        return of(file, answers);
    }

    /**
     * Answers a benchmark read from {@code file} in its own format (Q-Bench's concatenated records), checked for
     * repeated ids like every answer file.
     */
    public static AnswerFile of(Path file, List<Answer> answers) {
        Map<String, Answer> byId = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        int repeated = 0;
        for (Answer a : answers) {
            Answer first = byId.putIfAbsent(a.key(), a);
            if (first != null && repeated++ < SHOWN) {
                duplicates.add("question_id " + a.key() + " on lines " + first.lineNumber() + " and " + a.lineNumber());
            }
        }
        if (repeated > 0) {
            throw new EvalInputException(file + ": " + repeated + " duplicate question id" + (repeated == 1 ? "" : "s")
                    + " (" + answers.size() + " lines, " + byId.size() + " distinct ids):\n  "
                    + String.join("\n  ", duplicates) + (repeated > SHOWN ? "\n  ..." : ""));
        }
        return new AnswerFile(file, List.copyOf(answers), Collections.unmodifiableMap(byId));
    }

    private static JsonNode parse(String line) {
        JsonNode n;
        try {
            n = STRICT.readTree(line);
        } catch (IOException e) {
            String why = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("not valid JSON (" + why + ")");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return n;
    }

    private static Answer llavaAnswer(JsonNode n, int number) {
        JsonNode id = n.get("question_id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw new IllegalArgumentException("no question_id (a string or an integer)");
        }
        JsonNode text = n.get("text");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("question_id " + id + ": no string \"text\"");
        }
        JsonNode prompt = n.get("prompt");
        return new Answer(
                id, prompt != null && prompt.isTextual() ? prompt.textValue() : null, text.textValue(), n, number);
    }

    public Path file() {
        return file;
    }

    /** The answers in file order. */
    public List<Answer> answers() {
        return answers;
    }

    /** The answer to the question whose id has JSON text {@code key} ({@link Answer#key}), or null. */
    public Answer get(String key) {
        return byId.get(key);
    }

    public int size() {
        return answers.size();
    }
}
