package io.share4v.eval.score.qbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Q-Bench runner's answer file: each question record with a {@code "response"} added, appended with
 * {@code json.dump} and no newline, so the objects follow each other ({@code }{}). The playground's
 * {@code format_qbench.py} inserts newlines at {@code }{} before scoring; parsing the run of objects directly reads
 * both forms (and is not fooled by a response containing {@code }{}). Answers are numbered by record, not line.
 */
public final class QbenchAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QbenchAnswers() {}

    public static AnswerFile read(Path file) {
        List<Answer> answers = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
            int record = 0;
            while (it.hasNextValue()) {
                record++;
                JsonNode r = it.nextValue();
                answers.add(answer(file, r, record));
            }
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": answers file not found", e);
        } catch (JsonProcessingException e) {
            throw new EvalInputException(
                    file + ": not a run of JSON objects ("
                            + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")",
                    e);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return AnswerFile.of(file, answers);
    }

    private static Answer answer(Path file, JsonNode r, int record) {
        if (!r.isObject()) {
            throw new EvalInputException(file + ": record " + record + " is not a JSON object");
        }
        String imgPath = text(file, r, record, "img_path");
        String question = text(file, r, record, "question");
        String response = text(file, r, record, "response");
        return new Answer(QbenchQuestionKey.id(imgPath, question), question, response, r, record);
    }

    private static String text(Path file, JsonNode r, int record, String name) {
        JsonNode v = r.get(name);
        if (v == null || !v.isTextual()) {
            throw new EvalInputException(file + ": record " + record + ": no string \"" + name + "\"");
        }
        return v.textValue();
    }
}
