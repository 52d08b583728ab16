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
import java.util.function.Function;

/**
 * A LLaVA answer file (JSONL, one {@link Answer} per line, in question order as the runners merge their chunks),
 * read strictly: a line that is not a JSON object, has no {@code question_id} or no string {@code text}, or repeats
 * a question id is an error naming the file and the line numbers (counts when there are many), because a score over
 * a silently reduced or doubled set would be wrong. Blank lines are skipped. Order is kept: POPE and MME scorers
 * depend on it. A question is normally identified by its {@code question_id}; a benchmark whose question file gives
 * several questions one id (MME: the id is the image, which has two questions) reads with its own identity.
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
    private final Function<Answer, String> identity;

    private AnswerFile(Path file, List<Answer> answers, Map<String, Answer> byId, Function<Answer, String> identity) {
        this.file = file;
        this.answers = answers;
        this.byId = byId;
        this.identity = identity;
    }

    /** Reads and checks {@code file}; a question is identified by its {@code question_id} ({@link Answer#key}). */
    public static AnswerFile read(Path file) {
        return read(file, Answer::key);
    }

    /**
     * Reads and checks {@code file}, identifying the question an answer is to by {@code identity} (which may throw an
     * {@link EvalInputException} naming the line when an answer lacks what it needs): two answers with one identity
     * are an error.
     */
    public static AnswerFile read(Path file, Function<Answer, String> identity) {
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
                answers.add(parse(line, i + 1));
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
        Map<String, Answer> byId = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        int repeated = 0;
        for (Answer a : answers) {
            String key = identity.apply(a);
            Answer first = byId.putIfAbsent(key, a);
            if (first != null && repeated++ < SHOWN) {
                duplicates.add("question_id " + key + " on lines " + first.lineNumber() + " and " + a.lineNumber());
            }
        }
        if (repeated > 0) {
            throw new EvalInputException(file + ": " + repeated + " duplicate question id" + (repeated == 1 ? "" : "s")
                    + " (" + answers.size() + " lines, " + byId.size() + " distinct ids):\n  "
                    + String.join("\n  ", duplicates) + (repeated > SHOWN ? "\n  ..." : ""));
        }
        return new AnswerFile(file, Collections.unmodifiableList(answers), Collections.unmodifiableMap(byId), identity);
    }

    private static Answer parse(String line, int number) {
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

    /** The answer to the question identified by {@code key} ({@link #keyOf}), or null. */
    public Answer get(String key) {
        return byId.get(key);
    }

    /** The identity of the question {@code answer} is to: its {@link Answer#key} unless read with another identity. */
    public String keyOf(Answer answer) {
        return identity.apply(answer);
    }

    public int size() {
        return answers.size();
    }
}
